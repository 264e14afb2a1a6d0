namespace Portal.Silo.Configuration;

/// <summary>
/// Everything under the <c>Portal</c> configuration section. Every key has a default that works in embedded
/// mode; docs/operations.md lists them.
/// </summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Where embedded mode keeps its SQLite file and anything else local. Default: <c>data</c> under the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Origin used in emailed links. Default: the address the web app listens on.</summary>
    public string? PublicBaseUrl { get; set; }

    public DatabaseOptions Database { get; set; } = new();
    public OrleansHostingOptions Orleans { get; set; } = new();
    public LinkOptions Links { get; set; } = new();
    public BootstrapOptions Bootstrap { get; set; } = new();
    public StripeOptions Stripe { get; set; } = new();
    public SmtpOptions Smtp { get; set; } = new();
    public PortalDataProtectionOptions DataProtection { get; set; } = new();
    public SignUpOptions SignUp { get; set; } = new();
    public PasskeyOptions Passkeys { get; set; } = new();

    /// <summary>The data directory as an absolute path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>ADO.NET connection string. Default: <c>portal.db</c> in the data directory (SQLite).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply schema migrations at start-up. Default: true for SQLite, false for PostgreSQL (run <c>migrate</c>).</summary>
    public bool? MigrateOnStart { get; set; }
}

public static class DatabaseProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
}

public sealed class OrleansHostingOptions
{
    /// <summary><c>embedded</c> (the web process hosts a silo; default) or <c>client</c> (the web joins a cluster).</summary>
    public string Mode { get; set; } = OrleansModes.Embedded;
    public string ClusterId { get; set; } = "portal";
    public string ServiceId { get; set; } = "portal";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    /// <summary>Address other silos and clients use. Default: first non-loopback address (loopback in embedded mode).</summary>
    public string? AdvertisedAddress { get; set; }
    public int DashboardPort { get; set; } = 8080;
    /// <summary>Port of the silo process's own small HTTP endpoint for <c>/health/live</c> and <c>/health/ready</c>. Default: 8081.</summary>
    public int HealthPort { get; set; } = 8081;

    /// <summary>
    /// Initial timeout of the liveness probes silos send each other. Default: Orleans' own (5 s). Lower it (with
    /// <see cref="MissedProbesLimit"/>) to declare a crashed silo dead sooner, at the risk of false suspicions on a
    /// slow machine; the multi-process tests do.
    /// </summary>
    public TimeSpan? ProbeTimeout { get; set; }

    /// <summary>Missed probes after which a silo is suspected (two suspicions declare it dead). Default: Orleans' own (3).</summary>
    public int? MissedProbesLimit { get; set; }

    /// <summary>
    /// Period of the reminder a grain holds while a notification it owes another grain is not yet made (a document's
    /// report to its project, a project's entry on its client's "All Projects", a link's registration): the longest a
    /// silo's death delays one. Default: one minute; the tests lower it.
    /// </summary>
    public TimeSpan NoticeRetryPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

public static class OrleansModes
{
    public const string Embedded = "embedded";
    public const string Client = "client";
    /// <summary>A dedicated silo process (<c>dotnet run --project silo</c>); set by that program, not by configuration.</summary>
    public const string Silo = "silo";
}

/// <summary>The <c>Portal:SignUp</c> section.</summary>
public sealed class SignUpOptions
{
    /// <summary>Whether <c>/staff/sign-up</c> creates new companies. Default: open in embedded mode, closed in client and cluster mode.</summary>
    public bool? Open { get; set; }
}

/// <summary>The <c>Portal:Passkeys</c> section (WebAuthn relying party).</summary>
public sealed class PasskeyOptions
{
    /// <summary>The relying party id passkeys are bound to (a host name). Default: the host of <c>Portal:PublicBaseUrl</c>, else the request's host.</summary>
    public string? RelyingPartyId { get; set; }

    /// <summary>Origins a passkey ceremony may come from. Default: the origin of <c>Portal:PublicBaseUrl</c>, else the request's own.</summary>
    public List<string> Origins { get; set; } = [];
}

public sealed class LinkOptions
{
    /// <summary>How long a portal link stays valid. Default: 90 days.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(90);
}

public sealed class BootstrapOptions
{
    /// <summary>The shortest staff API key Portal accepts from configuration.</summary>
    public const int MinApiKeyLength = 32;

    /// <summary>The first staff API key, applied once at first start; at least <see cref="MinApiKeyLength"/> characters.</summary>
    public string? ApiKey { get; set; }
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    /// <summary>Seed the demo company on first start. Default: true.</summary>
    public bool Demo { get; set; } = true;
}

/// <summary>Card payments through Stripe Checkout. Without a secret key the card option is not offered.</summary>
public sealed class StripeOptions
{
    /// <summary>The secret API key (<c>sk_test_…</c> or <c>sk_live_…</c>).</summary>
    public string? SecretKey { get; set; }

    /// <summary>The signing secret of the webhook endpoint (<c>whsec_…</c>); required with a secret key.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Base URL of the Stripe API, for a local fake. Default: Stripe's own.</summary>
    public string? ApiBase { get; set; }

    /// <summary>
    /// How long a Checkout Session takes payment (Stripe's <c>expires_at</c>): short, so a forgotten tab cannot charge
    /// after the invoice changed. Stripe allows 30 minutes to 24 hours; Portal asks for 32 minutes at least (clock skew; the expiry is rounded down to the minute).
    /// </summary>
    public TimeSpan CheckoutLifetime { get; set; } = DefaultCheckoutLifetime;

    public static readonly TimeSpan DefaultCheckoutLifetime = TimeSpan.FromMinutes(45);
    public static readonly TimeSpan MinimumCheckoutLifetime = TimeSpan.FromMinutes(32);
    public static readonly TimeSpan MaximumCheckoutLifetime = TimeSpan.FromHours(23);

    public bool CardPaymentsConfigured => !string.IsNullOrWhiteSpace(SecretKey);
}

/// <summary>The ASP.NET Core Data Protection key ring (session cookies, antiforgery tokens), kept in the database.</summary>
public sealed class PortalDataProtectionOptions
{
    /// <summary>The length of <see cref="KeyEncryptionKey"/> once decoded: an AES-256 key.</summary>
    public const int KeyEncryptionKeyBytes = 32;

    /// <summary>
    /// 32 random bytes in base64 (<c>openssl rand -base64 32</c>). When set, the secret part of every key ring
    /// element is encrypted with it (AES-256-GCM) before it is stored. Default: none (stored unencrypted, with a
    /// warning at start in client mode).
    /// </summary>
    public string? KeyEncryptionKey { get; set; }
}
