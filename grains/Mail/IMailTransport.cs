namespace Portal.Mail;

/// <summary>A stored message on its way to the SMTP server; <see cref="MessageId"/> is the same on every attempt.</summary>
public sealed record MailEnvelope(
    string MessageId,
    string SenderName,
    string? ReplyTo,
    MailRecipient To,
    string Subject,
    string HtmlBody,
    string TextBody,
    DateTimeOffset Date);

public enum MailDeliveryOutcome
{
    /// <summary>The server took the message (250 after DATA).</summary>
    Accepted = 0,
    /// <summary>Worth another try later: no connection, a timeout, a 4xx reply, TLS or login trouble.</summary>
    TransientFailure = 1,
    /// <summary>The server refused it for good (a 5xx reply); trying again would be refused again.</summary>
    PermanentFailure = 2,
}

public sealed record MailDeliveryResult(MailDeliveryOutcome Outcome, string Detail)
{
    public static MailDeliveryResult Accepted(string detail) => new(MailDeliveryOutcome.Accepted, detail);
    public static MailDeliveryResult Transient(string detail) => new(MailDeliveryOutcome.TransientFailure, detail);
    public static MailDeliveryResult Permanent(string detail) => new(MailDeliveryOutcome.PermanentFailure, detail);
}

/// <summary>
/// Hands one message to the SMTP server. Registered by the silo (MailKit); never throws for delivery problems,
/// it classifies them instead.
/// </summary>
public interface IMailTransport
{
    Task<MailDeliveryResult> SendAsync(MailEnvelope message, CancellationToken cancellationToken);
}
