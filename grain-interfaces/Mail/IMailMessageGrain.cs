namespace Portal;

/// <summary>
/// One outgoing email, keyed by its message id. <see cref="Enqueue"/> answers only after the message is stored;
/// the grain then delivers it on the silo (retrying transient failures with backoff, recording permanent ones),
/// driven by a durable reminder so a pending message survives restarts.
/// </summary>
public interface IMailMessageGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Stores the message and starts delivery. Idempotent: a message id already stored keeps its first content.
    /// A header value with CR/LF (or another control character) is refused with <c>validation.mail_header</c> (400).
    /// </summary>
    Task<MailMessageView> Enqueue(OutgoingMail mail);

    /// <summary><c>mail.not_found</c> (404) when never enqueued.</summary>
    Task<MailMessageView> Get();
}

/// <summary>The messages of one project, newest first, for staff (<c>GET /api/projects/{id}/messages</c>).</summary>
public interface IProjectMailGrain : IGrainWithGuidKey
{
    /// <summary>Called by a message grain after each stored change; idempotent.</summary>
    Task Track(MailMessageView message);

    Task<IReadOnlyList<MailMessageView>> List();
}

/// <summary>
/// Turns activity on a project into email: a receipt to the client when a payment succeeds, and notifications
/// to the company's notification address when a proposal is accepted or declined or an invoice is paid.
/// Message ids derive from the activity entry ids, so reporting the same entries again enqueues nothing new.
/// </summary>
public interface IActivityMailerGrain : IGrainWithGuidKey
{
    /// <summary>Enqueues the messages these entries call for; returns when they are stored.</summary>
    Task MailAbout(ProjectView project, IReadOnlyList<ActivityEntry> entries);
}
