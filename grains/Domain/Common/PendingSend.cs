using System.Text.RegularExpressions;

namespace Portal.Domain;

/// <summary>
/// A send stored in the same write as the document's Sent status, and kept until its link is issued and its email
/// is in the outbox. Everything a retry needs is here, with ids derived from the document and the send number, so
/// a retry repeats the same link and message and never makes a second one. The raw link token (in
/// <see cref="PortalUrl"/> and in the email body) is held only until the outbox has the message, which stores
/// the same body anyway; then the whole record is dropped.
/// </summary>
public sealed partial record PendingSend(
    int Number,
    string TokenHash,
    IssuePortalLink Link,
    string PortalUrl,
    Guid MessageId,
    OutgoingMail Mail)
{
    /// <summary>
    /// The pending record for send <paramref name="number"/> of a document; refuses (<c>validation.*</c>) an email
    /// that is not about this document or a link that is malformed or already expired, before anything changes.
    /// </summary>
    public static PendingSend Start(
        Guid documentId, int number, ISendsToClient document, LinkTargetKind target, SendDocument command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(command);
        var mail = command.Mail ?? throw PortalRuleViolation.Invalid(RuleCodes.ValidationMail, "The email to send is missing.");
        if (mail.DocumentId != documentId || mail.ProjectId != document.ProjectId || mail.CompanyId != document.CompanyId)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationMail, "The email is not about this document.");
        }
        if (command.TokenHash is null || !TokenHashPattern().IsMatch(command.TokenHash))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLink, "The link's token hash must be 64 lower-case hex digits.");
        }
        if (!Uri.TryCreate(command.PortalUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationMailLink, "The portal link must be an absolute http(s) address.");
        }
        if (command.LinkExpiresAt <= now)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationExpiresAt, "A link must expire in the future.");
        }
        var link = new IssuePortalLink(
            DerivedIds.For(documentId, $"send-{number}:link"), document.CompanyId, document.ClientId,
            new LinkTarget(target, documentId), command.LinkExpiresAt, PortalLinkOrigin.Email);
        return new PendingSend(number, command.TokenHash, link, command.PortalUrl, DerivedIds.For(documentId, $"send-{number}:mail"), mail);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex TokenHashPattern();
}
