using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using Portal.Domain;
using Portal.Mail;

namespace Portal.Silo.Mail;

/// <summary>
/// Delivers a stored message with MailKit: HTML and plain text, the stored Message-Id, the company's name with
/// the configured sender address, replies to the company. Classifies every failure: a 5xx reply is permanent,
/// anything else (no connection, timeout, 4xx, TLS or login trouble) is transient. Once the server accepted the
/// message, nothing that happens afterwards (e.g. QUIT failing) turns it into a failure.
/// </summary>
public sealed class MailKitTransport(SmtpTargetResolver targets, ILogger<MailKitTransport> logger) : Portal.Mail.IMailTransport
{
    public async Task<MailDeliveryResult> SendAsync(MailEnvelope message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        SmtpTarget target;
        try
        {
            target = await targets.ResolveAsync(cancellationToken);
        }
        catch (Exception e) when (e is MailNotConfiguredException or TimeoutException or OperationCanceledException)
        {
            return MailDeliveryResult.Transient(e.Message);
        }

        MimeMessage mime;
        try
        {
            mime = Build(message, target.From);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or PortalRuleViolation)
        {
            return MailDeliveryResult.Permanent($"The message cannot be written: {e.Message}");
        }

        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, target.Timeout.TotalMilliseconds) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(target.Timeout + target.Timeout);
        string reply;
        try
        {
            await client.ConnectAsync(target.Host, target.Port, target.Socket, deadline.Token);
            if (target.User is not null)
            {
                await client.AuthenticateAsync(target.User, target.Password ?? "", deadline.Token);
            }
            reply = await client.SendAsync(mime, deadline.Token);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            return MailDeliveryResult.Permanent($"{(int)e.StatusCode} {e.Message}");
        }
        catch (SmtpCommandException e)
        {
            return MailDeliveryResult.Transient($"{(int)e.StatusCode} {e.Message}");
        }
        catch (AuthenticationException e)
        {
            return MailDeliveryResult.Transient($"The SMTP server refused the login (check Portal:Smtp:User and Password): {e.Message}");
        }
        catch (SslHandshakeException e)
        {
            return MailDeliveryResult.Transient($"TLS with {target} failed: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            // e.g. STARTTLS asked for but not offered: never fall back to plain text.
            return MailDeliveryResult.Transient($"{target}: {e.Message}");
        }
        catch (Exception e) when (e is SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException or OperationCanceledException)
        {
            return MailDeliveryResult.Transient($"Could not deliver to {target}: {e.Message}");
        }

        try
        {
            await client.DisconnectAsync(true, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The server already accepted the message; a failing QUIT changes nothing about that.
            logger.LogDebug(e, "Disconnecting from {Target} after delivery failed", target);
        }
        return MailDeliveryResult.Accepted(reply);
    }

    public static MimeMessage Build(MailEnvelope message, string from)
    {
        // The outbox refused unsafe headers already; checked again because this is where headers are written.
        foreach (var value in new[] { message.SenderName, message.ReplyTo, message.To.Address, message.To.Name, message.Subject, message.MessageId, from })
        {
            if (MailHeaders.HasControlCharacters(value))
            {
                throw new FormatException("A header value contains a control character.");
            }
        }
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            MessageId = message.MessageId,
            Date = message.Date,
        };
        mime.From.Add(new MailboxAddress(message.SenderName, from));
        if (message.ReplyTo is not null)
        {
            mime.ReplyTo.Add(new MailboxAddress("", message.ReplyTo));
        }
        mime.To.Add(new MailboxAddress(message.To.Name ?? "", message.To.Address));
        mime.Body = new BodyBuilder { HtmlBody = message.HtmlBody, TextBody = message.TextBody }.ToMessageBody();
        return mime;
    }
}
