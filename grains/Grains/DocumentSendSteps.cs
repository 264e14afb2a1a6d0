namespace Portal.Grains;

/// <summary>The steps of a document send, in order; each is done (and safe to repeat) when it is passed.</summary>
public enum DocumentSendStep
{
    /// <summary>The Sent status and the pending email are stored.</summary>
    MarkedSent = 0,

    /// <summary>The portal link in the email is issued.</summary>
    LinkIssued = 1,

    /// <summary>The email is stored in the outbox.</summary>
    MailEnqueued = 2,
}

/// <summary>
/// Told after each step of a send. The host registers none; a test registers one that throws at a step to stand
/// for a crash or a lost call at that point, and so proves a retry from there ends with one email.
/// </summary>
public interface IDocumentSendObserver
{
    void Passed(Guid documentId, DocumentSendStep step);
}
