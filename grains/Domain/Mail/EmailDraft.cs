namespace Portal.Domain;

/// <summary>
/// A message whose headers are settled and checked, waiting only for its link. Creating the draft refuses unsafe
/// header values (<c>validation.mail_header</c>) before anything is changed, so a send can be refused cleanly;
/// the body is rendered once the portal link exists.
/// </summary>
public sealed class EmailDraft
{
    private readonly MailBranding _branding;
    private readonly string _greeting;
    private readonly IReadOnlyList<string> _paragraphs;
    private readonly IReadOnlyList<EmailDetail> _details;

    private EmailDraft(
        Guid companyId, Guid projectId, MailKind kind, Guid? documentId, MailRecipient to, string senderName,
        string? replyTo, string subject, MailBranding branding, string greeting, IReadOnlyList<string> paragraphs,
        IReadOnlyList<EmailDetail> details, string? buttonLabel)
    {
        CompanyId = companyId;
        ProjectId = projectId;
        Kind = kind;
        DocumentId = documentId;
        To = to;
        SenderName = senderName;
        ReplyTo = replyTo;
        Subject = subject;
        ButtonLabel = buttonLabel;
        _branding = branding;
        _greeting = greeting;
        _paragraphs = paragraphs;
        _details = details;
    }

    public Guid CompanyId { get; }
    public Guid ProjectId { get; }
    public MailKind Kind { get; }
    public Guid? DocumentId { get; }
    public MailRecipient To { get; }
    public string SenderName { get; }
    public string? ReplyTo { get; }
    public string Subject { get; }
    /// <summary>The button's label, or null for a message without one.</summary>
    public string? ButtonLabel { get; }

    /// <param name="recipient">Who the address belongs to, for the refusal message ("client", "notification address").</param>
    public static EmailDraft Create(
        Guid companyId, Guid projectId, MailKind kind, Guid? documentId, MailRecipient to, string recipient,
        string senderName, string? replyTo, string subject, MailBranding branding, string greeting,
        IReadOnlyList<string> paragraphs, IReadOnlyList<EmailDetail> details, string? buttonLabel = null)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(branding);
        var address = MailHeaders.Address(to.Address, $"{recipient}'s email address");
        var name = to.Name is null ? null : MailHeaders.Text(to.Name, $"{recipient}'s name");
        MailHeaders.Text(branding.CompanyName, "company name");
        var sender = MailHeaders.Text(senderName, "sender name");
        var reply = replyTo is null ? null : MailHeaders.Address(replyTo, "reply-to address");
        var cleanSubject = MailHeaders.Text(subject, "subject", MailHeaders.MaxSubjectLength);
        return new EmailDraft(
            companyId, projectId, kind, documentId, new MailRecipient(address, string.IsNullOrEmpty(name) ? null : name),
            sender, reply, cleanSubject, branding, greeting, paragraphs, details, buttonLabel);
    }

    /// <summary>The finished message with its button aimed at <paramref name="url"/> (an absolute http(s) address).</summary>
    public OutgoingMail WithLink(string url)
    {
        if (ButtonLabel is null)
        {
            throw new InvalidOperationException($"A {Kind} message has no button.");
        }
        return Build(new EmailButton(ButtonLabel, EmailLayout.RequireWebUrl(url)));
    }

    /// <summary>The finished message, for kinds without a button (receipts, staff notifications).</summary>
    public OutgoingMail WithoutLink()
    {
        if (ButtonLabel is not null)
        {
            throw new InvalidOperationException($"A {Kind} message needs its link.");
        }
        return Build(null);
    }

    private OutgoingMail Build(EmailButton? button)
    {
        var (html, text) = EmailLayout.Render(_branding, Subject, _greeting, _paragraphs, _details, button);
        return new OutgoingMail(CompanyId, ProjectId, Kind, To, SenderName, ReplyTo, Subject, html, text, DocumentId);
    }
}
