using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;
using Portal.Web.Auth;
using Portal.Web.Links;
using Portal.Web.Mailbox;

namespace Portal.Web.Bootstrap;

/// <summary>
/// First-start set-up, safe to run on every start: the installation's company, the first API key and admin
/// (from <c>Portal:Bootstrap</c>), and the demo data. Retries until the cluster answers, so a web node in client
/// mode can start before the silos. Secrets are generated and printed only in embedded Development mode (the
/// newcomer's <c>dotnet run</c>); anywhere else nothing secret is printed, no demo link is issued, and a missing
/// key or admin password is reported in the log until it is configured.
/// </summary>
public sealed class StartupBootstrapper(
    IGrainFactory grains,
    IOptions<PortalOptions> options,
    PortalLinkIssuer links,
    DemoSeeder demo,
    BootstrapState state,
    IHostApplicationLifetime lifetime,
    ILogger<StartupBootstrapper> logger,
    DevMailboxAccess mailbox,
    PublicUrls urls,
    IHostEnvironment environment,
    DemoStaff demoStaff) : BackgroundService
{
    /// <summary>True only for one process with an embedded silo, run in Development: the only place secrets are shown.</summary>
    private bool ShowsSecrets =>
        environment.IsDevelopment()
        && string.Equals(options.Value.Orleans.Mode.Trim(), OrleansModes.Embedded, StringComparison.OrdinalIgnoreCase);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Links printed below need the listening address, known only once the server has started.
        await WaitForStartAsync(stoppingToken);
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                state.MarkCompleted();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                state.MarkFailed(ex.Message);
                logger.LogWarning(ex, "Start-up set-up failed; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    /// <summary>
    /// The first admin signs in at <c>/staff/sign-in</c> like anyone: an account with the admin's email and password
    /// hash, the company's owner (or an admin, if the company already has an owner). Idempotent: every start checks.
    /// </summary>
    private async Task EnsureAdminAccountAsync(IStaffDirectoryGrain directory, Guid companyId, string adminEmail)
    {
        if (await directory.FindAdminPasswordHash(adminEmail) is not { } hash)
        {
            return;
        }
        var email = grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(adminEmail));
        var userId = await email.Find() ?? await email.Claim(Guid.NewGuid());
        var account = grains.GetGrain<IStaffUserGrain>(userId);
        var user = await account.Find() ?? await account.Create("Administrator", adminEmail, hash);
        if (user.RoleIn(companyId) is null)
        {
            var team = grains.GetGrain<ICompanyTeamGrain>(companyId);
            var role = (await team.List()).Any(m => m.Role == StaffRole.Owner) ? StaffRole.Admin : StaffRole.Owner;
            await team.Add(userId, user.Name, user.Email, role);
        }
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var bootstrap = options.Value.Bootstrap;
        var directory = grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty);
        var installation = await directory.Get();

        var companyId = installation.CompanyId ?? Guid.NewGuid();
        var company = grains.GetGrain<ICompanyGrain>(companyId);
        if (!await company.Exists())
        {
            if (bootstrap.Demo)
            {
                await company.Create(DemoSeeder.CompanyName, DemoSeeder.CompanySettings);
            }
            else
            {
                await company.Create("My company");
            }
        }
        if (installation.CompanyId is null)
        {
            await directory.SetCompany(companyId);
        }

        string? printedKey = null;
        if (!installation.HasApiKey)
        {
            if (!string.IsNullOrWhiteSpace(bootstrap.ApiKey))
            {
                await directory.AddApiKey(ApiKeyAuthenticationHandler.HashKey(bootstrap.ApiKey.Trim()), "bootstrap");
                printedKey = "(from Portal:Bootstrap:ApiKey)";
            }
            else if (ShowsSecrets)
            {
                var key = NewSecret("pk_");
                await directory.AddApiKey(ApiKeyAuthenticationHandler.HashKey(key), "bootstrap");
                printedKey = key;
            }
            else
            {
                logger.LogWarning("No staff API key yet: set Portal:Bootstrap:ApiKey (at least {Length} characters) and restart; keys are generated and shown only in embedded Development mode", BootstrapOptions.MinApiKeyLength);
            }
        }

        string? printedPassword = null;
        var adminEmail = string.IsNullOrWhiteSpace(bootstrap.AdminEmail) ? "admin@portal.local" : bootstrap.AdminEmail.Trim();
        if (!installation.HasAdmin)
        {
            if (!string.IsNullOrWhiteSpace(bootstrap.AdminPassword))
            {
                await directory.SetAdmin(adminEmail, PasswordHasher.Hash(bootstrap.AdminPassword));
                printedPassword = "(from Portal:Bootstrap:AdminPassword)";
            }
            else if (ShowsSecrets)
            {
                var password = NewSecret(string.Empty);
                await directory.SetAdmin(adminEmail, PasswordHasher.Hash(password));
                printedPassword = password;
            }
            else
            {
                logger.LogWarning("No admin password yet: set Portal:Bootstrap:AdminPassword and restart");
            }
        }

        await EnsureAdminAccountAsync(directory, companyId, adminEmail);

        Guid? demoClient = null;
        if (bootstrap.Demo && !installation.DemoSeeded)
        {
            demoClient = await demo.SeedAsync(companyId, cancellationToken);
            await directory.MarkDemoSeeded();
        }
        else if (bootstrap.Demo)
        {
            var clients = await company.GetClientIds();
            demoClient = clients.Count > 0 ? clients[0] : null;
        }

        // The demo's admin and member accounts: their passwords can only be learnt from the banner, so only here.
        IReadOnlyList<(string Email, StaffRole Role, string Password)> demoAccounts = [];
        if (bootstrap.Demo && ShowsSecrets)
        {
            demoAccounts = await demoStaff.SeedAsync(companyId, () => NewSecret(string.Empty));
        }

        string? portalUrl = null;
        // A demo link is a 90-day credential: issued (and shown) only where secrets are shown.
        if (demoClient is { } clientId && ShowsSecrets)
        {
            portalUrl = (await links.IssueAsync(companyId, clientId, new LinkTarget(LinkTargetKind.AllProjects, null), PortalLinkOrigin.Staff)).Url;
        }

        PrintBanner(printedKey, adminEmail, printedPassword, portalUrl, demoAccounts);
    }

    private void PrintBanner(string? apiKey, string adminEmail, string? adminPassword, string? portalUrl,
        IReadOnlyList<(string Email, StaffRole Role, string Password)> demoAccounts)
    {
        // Deliberately the console, not the log: secrets and link tokens must never reach log sinks.
        var lines = new List<string> { string.Empty, "==== Portal is ready ====" };
        lines.Add($"  Data directory : {options.Value.DataDirectoryFullPath}");
        if (apiKey is not null)
        {
            lines.Add($"  Staff API key  : {apiKey}   (shown once; use 'Authorization: Bearer <key>')");
        }
        if (adminPassword is not null)
        {
            lines.Add($"  Admin          : {adminEmail} / {adminPassword}   (shown once)");
        }
        foreach (var (email, role, password) in demoAccounts)
        {
            lines.Add($"  Demo {StaffPermissions.Wire(role),-10}: {email} / {password}   (shown once)");
        }
        if (portalUrl is not null)
        {
            lines.Add($"  Client portal  : {portalUrl}");
        }
        if (mailbox.Enabled && ShowsSecrets)
        {
            lines.Add($"  Dev mailbox    : {mailbox.EntryUrl}   (signs this browser in; a new link every start)");
        }
        lines.Add($"  Staff sign-in  : {urls.Absolute("/staff/sign-in")}   (the accounts above; new companies at /staff/sign-up)");
        lines.Add($"  Staff feed     : {urls.Absolute("/staff/feed")}");
        lines.Add("=========================");
        Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
        Console.Out.Flush();
    }

    private static string NewSecret(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
}
