namespace Portal;

/// <summary>
/// One outgoing email, keyed by its message id. <see cref="Enqueue"/> answers only after the message is stored;
/// the grain then delivers it on the silo (retrying transient failures with backoff, recording permanent ones).
/// A pending message is listed in an <see cref="IMailOutboxGrain"/> shard, whose durable reminder brings it back
/// after a restart.
/// </summary>
public interface IMailMessageGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Stores the message and starts delivery. Idempotent: a message id already stored keeps its first content.
    /// A header value with CR/LF (or another control character) is refused with <c>validation.mail_header</c> (400).
    /// </summary>
    Task<MailMessageView> Enqueue(OutgoingMail mail);

    /// <summary>
    /// <c>mail.not_found</c> (404) when never enqueued. Interleaves with a delivery in progress (it only reads),
    /// so the project index can ask while the message is telling it about a change.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<MailMessageView> Get();

    /// <summary>
    /// Called by the outbox shard's reminder: makes sure a pending message has its next attempt scheduled.
    /// Returns false when the message is finished (sent or failed) or was never stored, so the shard can drop it.
    /// </summary>
    Task<bool> Resume();
}

/// <summary>
/// One of <see cref="Shards"/> durable lists of undelivered message ids (keyed 0 … Shards − 1, by a hash of the
/// message id). A message is added before its grain stores it, so every stored, unfinished message is listed;
/// each shard has one long-lived reminder that resumes its listed messages, which is what brings pending mail back
/// after a restart. Removal is lazy: a finished message is dropped from memory at once and from storage with the
/// shard's next write, and a stale id only costs a <see cref="IMailMessageGrain.Resume"/> that answers false.
/// </summary>
public interface IMailOutboxGrain : IGrainWithIntegerKey
{
    /// <summary>How many shards there are; changing it is safe (old shards keep ticking until they are empty).</summary>
    public const int Shards = 8;

    /// <summary>The shard that lists a message.</summary>
    public static long ShardOf(Guid messageId) => BitConverter.ToUInt32(messageId.ToByteArray(), 0) % Shards;

    /// <summary>Stores the id in the shard; returns once it is durable (concurrent adds share one write).</summary>
    Task Add(Guid messageId);

    /// <summary>Forgets a finished message; stored lazily (with the next write, or after a short delay).</summary>
    [Orleans.Concurrency.OneWay]
    Task Remove(Guid messageId);

    /// <summary>The ids the shard currently holds (in memory): for tests and diagnostics.</summary>
    Task<IReadOnlyCollection<Guid>> Pending();
}

/// <summary>The messages of one project, newest first, for staff (<c>GET /api/projects/{id}/messages</c>).</summary>
public interface IProjectMailGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Called by a message grain after each stored change; idempotent. Only a message new to the project is
    /// stored (its id, with the summary as first reported); later changes just refresh the summary kept in memory,
    /// and <see cref="List"/> asks the message grains for the status of those not known to be finished.
    /// </summary>
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
