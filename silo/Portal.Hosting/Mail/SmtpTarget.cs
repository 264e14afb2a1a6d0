using MailKit.Security;
using Portal.Silo.Configuration;

namespace Portal.Silo.Mail;

/// <summary>The server one delivery talks to, and how.</summary>
public sealed record SmtpTarget(string Host, int Port, SecureSocketOptions Socket, string? User, string? Password, string From, TimeSpan Timeout)
{
    public override string ToString() => $"{Host}:{Port} ({Socket})";
}

/// <summary>
/// Resolves where mail goes: the embedded server's loopback endpoint, or <c>Portal:Smtp:Host</c> with the TLS
/// mode asked for (STARTTLS is required, never "when available"; ssl is TLS from the first byte).
/// </summary>
public sealed class SmtpTargetResolver(SmtpOptions options, EmbeddedSmtpServer? embedded)
{
    public bool IsConfigured => embedded is not null || !string.IsNullOrWhiteSpace(options.Host);

    public string Describe() => embedded is not null
        ? $"the embedded SMTP server ({embedded.Endpoint?.ToString() ?? "starting"}, mailbox {embedded.Mailbox.Directory})"
        : IsConfigured
            ? $"{options.Host!.Trim()}:{options.HostPort(options.SecurityMode(false))} ({options.SecurityMode(false).ToString().ToLowerInvariant()})"
            : "nowhere: Portal:Smtp:Host is not set";

    public async Task<SmtpTarget> ResolveAsync(CancellationToken cancellationToken)
    {
        var from = options.From.Trim();
        if (embedded is not null)
        {
            var endpoint = await embedded.EndpointAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            return new SmtpTarget(endpoint.Address.ToString(), endpoint.Port, SecureSocketOptions.None, null, null, from, options.Timeout);
        }
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            throw new MailNotConfiguredException("Outbound mail is not configured on this silo: set Portal:Smtp:Host (and Port, Security, User, Password, From).");
        }
        var security = options.SecurityMode(embedded: false);
        var socket = security switch
        {
            SmtpSecurity.Ssl => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        var user = string.IsNullOrEmpty(options.User) ? null : options.User;
        return new SmtpTarget(options.Host.Trim(), options.HostPort(security), socket, user, user is null ? null : options.Password, from, options.Timeout);
    }
}

public sealed class MailNotConfiguredException(string message) : Exception(message);
