using System.Globalization;
using Microsoft.Extensions.Options;
using Portal.Silo.Storage;

namespace Portal.Silo.Configuration;

/// <summary>Refuses configurations that would only fail later, deep inside Orleans or a driver.</summary>
public sealed class PortalOptionsValidator : IValidateOptions<PortalOptions>
{
    public ValidateOptionsResult Validate(string? name, PortalOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Portal:DataDirectory must not be empty.");
        }

        DatabaseEngine? engine = null;
        try
        {
            engine = PortalDatabase.ParseEngine(options.Database.Provider);
        }
        catch (InvalidOperationException exception)
        {
            failures.Add(exception.Message);
        }

        if (engine == DatabaseEngine.Postgres && string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            failures.Add("Portal:Database:ConnectionString is required when Portal:Database:Provider is 'postgres'.");
        }

        var mode = options.Orleans.Mode?.Trim().ToLowerInvariant();
        if (mode is not (OrleansModes.Embedded or OrleansModes.Client or OrleansModes.Silo))
        {
            failures.Add($"Portal:Orleans:Mode '{options.Orleans.Mode}' is not supported; use '{OrleansModes.Embedded}' or '{OrleansModes.Client}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Orleans.ClusterId) || string.IsNullOrWhiteSpace(options.Orleans.ServiceId))
        {
            failures.Add("Portal:Orleans:ClusterId and Portal:Orleans:ServiceId must not be empty.");
        }

        // Orleans advertises the port it is given, so 0 ("any free port") would put an unreachable address
        // into the membership table; tests pick free ports themselves.
        CheckPort(failures, "SiloPort", options.Orleans.SiloPort);
        CheckPort(failures, "GatewayPort", options.Orleans.GatewayPort);
        CheckPort(failures, "DashboardPort", options.Orleans.DashboardPort);
        CheckPort(failures, "HealthPort", options.Orleans.HealthPort);

        if (options.Orleans.NoticeRetryPeriod < TimeSpan.FromSeconds(1) || options.Orleans.NoticeRetryPeriod > TimeSpan.FromHours(1))
        {
            failures.Add($"Portal:Orleans:NoticeRetryPeriod must be between one second and one hour (was {options.Orleans.NoticeRetryPeriod}).");
        }
        if (options.Orleans.ProbeTimeout is { } probeTimeout && probeTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Portal:Orleans:ProbeTimeout must be positive (was {probeTimeout}).");
        }

        if (options.Orleans.MissedProbesLimit is < 1)
        {
            failures.Add($"Portal:Orleans:MissedProbesLimit must be at least 1 (was {options.Orleans.MissedProbesLimit}).");
        }

        if (!string.IsNullOrWhiteSpace(options.Orleans.AdvertisedAddress)
            && !System.Net.IPAddress.TryParse(options.Orleans.AdvertisedAddress, out _))
        {
            failures.Add($"Portal:Orleans:AdvertisedAddress '{options.Orleans.AdvertisedAddress}' is not an IP address.");
        }

        if (!string.IsNullOrWhiteSpace(options.Bootstrap.ApiKey) && options.Bootstrap.ApiKey.Trim().Length < BootstrapOptions.MinApiKeyLength)
        {
            // A short key can be guessed; the length is all a configured key is checked for (it is never printed).
            failures.Add($"Portal:Bootstrap:ApiKey must be at least {BootstrapOptions.MinApiKeyLength} characters (leave it unset to have one generated).");
        }

        CheckStripe(failures, options.Stripe);
        if (!string.IsNullOrWhiteSpace(options.DataProtection.KeyEncryptionKey)
            && !Portal.Silo.DataProtection.KeyEncryptionKey.TryParse(options.DataProtection.KeyEncryptionKey, out _, out var problem))
        {
            failures.Add(problem);
        }

        SmtpOptionsValidation.Validate(options, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckStripe(List<string> failures, StripeOptions stripe)
    {
        // Without the webhook secret, card payments would be taken but never confirmed.
        if (stripe.CardPaymentsConfigured && string.IsNullOrWhiteSpace(stripe.WebhookSecret))
        {
            failures.Add("Portal:Stripe:WebhookSecret is required when Portal:Stripe:SecretKey is set (see docs/api.md, Payments: stripe listen prints it).");
        }
        if (!string.IsNullOrWhiteSpace(stripe.ApiBase)
            && !(Uri.TryCreate(stripe.ApiBase, UriKind.Absolute, out var apiBase) && apiBase.Scheme is "http" or "https"))
        {
            failures.Add($"Portal:Stripe:ApiBase '{stripe.ApiBase}' is not an http(s) URL.");
        }
        if (stripe.CheckoutLifetime < StripeOptions.MinimumCheckoutLifetime || stripe.CheckoutLifetime > StripeOptions.MaximumCheckoutLifetime)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Portal:Stripe:CheckoutLifetime must be between {StripeOptions.MinimumCheckoutLifetime} and {StripeOptions.MaximumCheckoutLifetime} (was {stripe.CheckoutLifetime})."));
        }
    }

    private static void CheckPort(List<string> failures, string key, int port)
    {
        if (port is < 1 or > 65535)
        {
            failures.Add($"Portal:Orleans:{key} must be between 1 and 65535 (was {port}).");
        }
    }
}
