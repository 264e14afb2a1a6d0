using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Auth;
using Portal.Web.Live;

namespace Portal.Tests.Functional;

/// <summary>
/// Sessions end at once, hubs included: a changed security stamp (password, role, removal from the company, "Sign out
/// everywhere") refuses the person's next request and closes their open <c>/hubs/staff</c> connections, and the
/// node's periodic re-check closes them even when the feed's notice was lost.
/// </summary>
[Trait("Category", "Security")]
public sealed class StaffSessionEndTests
{
    private const string Password = "plum tree ladder window";

    [Fact]
    public async Task Sign_out_everywhere_signs_out_every_browser_and_closes_the_persons_hub_connections_only()
    {
        await using var host = await PortalTestHost.StartAsync();
        using var here = await SignUpAsync(host, "Everywhere Co", "everywhere@example.com");
        using var elsewhere = await SignInAsync(host, "everywhere@example.com");
        await using var hub = await StaffHubProbe.WithCookiesAsync(host.BaseUri, elsewhere.Cookies);
        await using var other = await StaffHubProbe.WithBearerAsync(host.BaseUri, PortalTestHost.ApiKey);

        var (status, page) = await here.GetAsync("/staff/security");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Sign out everywhere", page, StringComparison.Ordinal);
        var token = await here.TokenFromAsync("/staff/security");
        using (var response = await here.Http.PostAsync("/staff/security/sign-out-everywhere", Form(token)))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(StaffSessions.SignInPath, response.Headers.Location?.OriginalString);
        }

        await hub.EndedAndClosedAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.Http.GetAsync("/api/company")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await here.Http.GetAsync("/api/company")).StatusCode);
        Assert.Equal(HubConnectionState.Connected, other.Connection.State);

        // Coming back with the ended session is refused.
        await using var retry = new HubConnectionBuilder().WithUrl(new Uri(host.BaseUri, "/hubs/staff"), o => o.Cookies = elsewhere.Cookies).Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => retry.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Sign_out_everywhere_needs_the_antiforgery_token()
    {
        await using var host = await PortalTestHost.StartAsync();
        using var browser = await SignUpAsync(host, "Forged Co", "forged@example.com");
        using (var forged = await browser.Http.PostAsync("/staff/security/sign-out-everywhere", new FormUrlEncodedContent([])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/api/company")).StatusCode);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("role")]
    [InlineData("removed")]
    public async Task A_changed_password_or_role_or_removal_closes_the_persons_open_hub_connections(string change)
    {
        await using var host = await PortalTestHost.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        using var owner = await SignUpAsync(host, "Team Co", "owner@team.example");
        var companyId = Guid.Parse((await owner.Http.GetOkAsync("/api/company")).Str("id"));
        var memberId = await AddMemberAsync(host, companyId, "member@team.example", StaffRole.Member);
        using var member = await SignInAsync(host, "member@team.example");
        await using var memberHub = await StaffHubProbe.WithCookiesAsync(host.BaseUri, member.Cookies);
        await using var ownerHub = await StaffHubProbe.WithCookiesAsync(host.BaseUri, owner.Cookies);

        var team = grains.GetGrain<ICompanyTeamGrain>(companyId);
        switch (change)
        {
            case "password":
                await grains.GetGrain<IStaffUserGrain>(memberId).SetPassword(host.Services.GetRequiredService<StaffPasswords>().Hash("a brand new password"));
                break;
            case "role":
                await team.ChangeRole(StaffRole.Owner, memberId, StaffRole.Admin);
                break;
            default:
                await team.Remove(StaffRole.Owner, memberId);
                break;
        }

        await memberHub.EndedAndClosedAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await member.Http.GetAsync("/api/company")).StatusCode);
        Assert.Equal(HubConnectionState.Connected, ownerHub.Connection.State);
    }

    [Fact]
    public async Task The_periodic_recheck_closes_hub_connections_whose_session_ended_when_the_notice_was_lost()
    {
        var lost = new LostSessionNotices();
        await using var host = await PortalTestHost.StartAsync(configure: b => b.Services.AddSingleton<INoticeHook>(lost));
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        using var browser = await SignUpAsync(host, "Lost Co", "lost@example.com");
        using var elsewhere = await SignInAsync(host, "lost@example.com");
        await using var hub = await StaffHubProbe.WithCookiesAsync(host.BaseUri, elsewhere.Cookies);
        await using var keyHub = await StaffHubProbe.WithBearerAsync(host.BaseUri, PortalTestHost.ApiKey);
        var user = await grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf("lost@example.com")).Find();

        await grains.GetGrain<IStaffUserGrain>(user!.Value).EndSessions();
        Assert.True(lost.Lost > 0);

        await host.Services.GetRequiredService<LiveRegistry>().RefreshAsync(CancellationToken.None);
        await hub.EndedAndClosedAsync();
        Assert.Equal(HubConnectionState.Connected, keyHub.Connection.State);
    }

    internal static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    internal static async Task<PortalBrowser> SignUpAsync(PortalTestHost host, string company, string email)
    {
        var browser = new PortalBrowser(host);
        var token = await browser.TokenFromAsync("/staff/sign-up");
        using var response = await browser.Http.PostAsync("/staff/sign-up", Form(token,
            ("companyName", company), ("name", "Owner of " + company), ("email", email), ("password", Password)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    internal static async Task<PortalBrowser> SignInAsync(PortalTestHost host, string email, string password = Password)
    {
        var browser = new PortalBrowser(host);
        var token = await browser.TokenFromAsync("/staff/sign-in");
        using var response = await browser.Http.PostAsync("/staff/sign-in", Form(token, ("email", email), ("password", password)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    internal static async Task<Guid> AddMemberAsync(PortalTestHost host, Guid companyId, string email, StaffRole role)
    {
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var userId = Guid.NewGuid();
        var hash = host.Services.GetRequiredService<StaffPasswords>().Hash(Password);
        await grains.GetGrain<IStaffUserGrain>(userId).Create("Member " + email, email, hash);
        Assert.Equal(userId, await grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(email)).Claim(userId));
        await grains.GetGrain<ICompanyTeamGrain>(companyId).Add(userId, "Member " + email, email, role);
        return userId;
    }

    /// <summary>Loses every "sessions ended" notice to the live feed, as a silo dying between the two would.</summary>
    private sealed class LostSessionNotices : INoticeHook
    {
        private int _lost;

        public int Lost => Volatile.Read(ref _lost);

        public Task BeforeNotifyingAsync(GrainId grain, string what)
        {
            if (!what.Contains("sessions ended", StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }
            Interlocked.Increment(ref _lost);
            throw new InvalidOperationException("The notice is lost (test).");
        }
    }
}
