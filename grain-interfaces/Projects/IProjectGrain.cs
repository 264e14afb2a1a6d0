namespace Portal;

/// <summary>
/// A job for a client. Owns bookings and shared-file metadata, and keeps summaries of its proposals and
/// invoices (pushed by those grains after each durable change) so one call returns the whole overview.
/// Every change bumps <see cref="ProjectView.Version"/>.
/// </summary>
public interface IProjectGrain : IGrainWithGuidKey
{
    Task<ProjectView> Create(CreateProject command);

    /// <summary><c>project.not_found</c> (404) when never created.</summary>
    Task<ProjectView> Get();

    Task<bool> Exists();

    /// <summary>Adds a booking; 400 when it ends before it starts; 409 <c>project.complete</c> when complete.</summary>
    Task<Booking> AddBooking(string name, DateTimeOffset startsAt, DateTimeOffset endsAt);

    Task RemoveBooking(Guid bookingId);

    /// <summary>Records a shared file whose bytes were already stored; 409 <c>project.complete</c> when complete.</summary>
    Task AddFile(SharedFile file);

    Task RemoveFile(Guid fileId);

    /// <summary>Open → Complete; <c>project.already_complete</c> otherwise.</summary>
    Task<ProjectView> Complete();

    /// <summary>Complete → Open; <c>project.not_complete</c> otherwise.</summary>
    Task<ProjectView> Reopen();

    /// <summary>
    /// Applies a document's report (summary and activity) in one stored change; repeats change nothing. The only
    /// way a document reaches its project: its creation is reported the same way, durably and retried.
    /// </summary>
    Task ApplyDocumentChange(DocumentChange change);

    /// <summary>Appends an entry to the activity log (idempotent on its id) and returns the stored entry.</summary>
    Task<ActivityEntry> RecordActivity(ActivityInput input);

    /// <summary>The whole append-only activity log, oldest first (the archived segments, then the newest entries).</summary>
    Task<IReadOnlyList<ActivityEntry>> GetActivity();

    /// <summary>At most <paramref name="limit"/> entries with a sequence after <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<ActivityEntry>> GetActivityPage(long afterSequence, int limit);

    /// <summary>Recomputes the hash chain of the whole activity log, across its archived segments.</summary>
    Task<ActivityVerification> VerifyActivity();

    /// <summary>
    /// Adds (or refreshes) a watcher that is told about every stored change; returns the current version so the
    /// watcher knows whether it missed one. A watcher that does not refresh within the expiry is dropped.
    /// </summary>
    Task<long> Subscribe(IProjectObserver observer);

    Task Unsubscribe(IProjectObserver observer);
}
