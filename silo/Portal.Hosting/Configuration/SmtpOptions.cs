using System.Net;

namespace Portal.Silo.Configuration;

/// <summary>
/// Outbound mail (<c>Portal:Smtp</c>). Messages are delivered by the silos; in embedded mode, unless a host is
/// configured, an in-process SMTP server on loopback receives them and the dev mailbox shows them.
/// </summary>
public sealed class SmtpOptions
{
    /// <summary>
    /// Run the in-process SMTP server and the dev mailbox. Default: true in embedded mode unless <see cref="Host"/>
    /// is set, false otherwise.
    /// </summary>
    public bool? Embedded { get; set; }

    /// <summary>SMTP server to deliver to (not with the embedded server).</summary>
    public string? Host { get; set; }

    /// <summary>
    /// Port of <see cref="Host"/> (default by <see cref="Security"/>: 25 none, 587 starttls, 465 ssl), or of the
    /// embedded server (default: a free loopback port chosen at start).
    /// </summary>
    public int? Port { get; set; }

    /// <summary><c>none</c>, <c>starttls</c> (refuses a server that does not offer it) or <c>ssl</c> (TLS from the first byte). Default: <c>starttls</c>, <c>none</c> for the embedded server.</summary>
    public string? Security { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>Sender address; the company's name is shown with it, replies go to the company's address.</summary>
    public string From { get; set; } = "no-reply@portal.localhost";

    /// <summary>How long one SMTP conversation may take before it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait after the first failed attempt; doubles after each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a transient failure is recorded as permanent.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Period of the outbox shards' durable reminders, which resume pending messages (e.g. after a restart).</summary>
    public TimeSpan PendingCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether the embedded SMTP server runs for a process in <paramref name="mode"/>.</summary>
    public bool IsEmbedded(string? mode) =>
        Embedded ?? (string.Equals(mode?.Trim(), OrleansModes.Embedded, StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(Host));

    public SmtpSecurity SecurityMode(bool embedded) =>
        SmtpSecurities.TryParse(Security, out var parsed) ? parsed : embedded ? SmtpSecurity.None : SmtpSecurity.StartTls;

    /// <summary>The domain of <see cref="From"/>, used for Message-Ids.</summary>
    public string FromDomain => From.Contains('@', StringComparison.Ordinal) ? From[(From.LastIndexOf('@') + 1)..].Trim() : "portal.localhost";

    public int HostPort(SmtpSecurity security) => Port ?? security switch
    {
        SmtpSecurity.Ssl => 465,
        SmtpSecurity.StartTls => 587,
        _ => 25,
    };

    /// <summary>True for <c>localhost</c> and loopback addresses, where clear text never leaves the machine.</summary>
    public static bool IsLoopbackHost(string? host) =>
        string.Equals(host?.Trim(), "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host?.Trim(), out var address) && IPAddress.IsLoopback(address));
}

public enum SmtpSecurity
{
    None = 0,
    StartTls = 1,
    Ssl = 2,
}

public static class SmtpSecurities
{
    public static bool TryParse(string? value, out SmtpSecurity security)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "none":
                security = SmtpSecurity.None;
                return true;
            case "starttls":
                security = SmtpSecurity.StartTls;
                return true;
            case "ssl":
                security = SmtpSecurity.Ssl;
                return true;
            default:
                security = SmtpSecurity.None;
                return false;
        }
    }
}
