using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using Portal.Domain;

namespace Portal.Grains;

public sealed class ProjectGrain(
    [PersistentState("project", StorageNames.Portal)] IPersistentState<ProjectState> state,
    ILogger<ProjectGrain> logger)
    : NoticeGrain<ProjectState>(state, logger), IProjectGrain
{
    private readonly ObserverManager<IProjectObserver> _observers = new(LiveSubscriptions.ObserverExpiry, logger);

    private Guid Id => this.GetPrimaryKey();

    public async Task<ProjectView> Create(CreateProject command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (State.Created)
        {
            throw new PortalRuleViolation(RuleCodes.ProjectExists, "This project already exists.");
        }
        var company = GrainFactory.GetGrain<ICompanyGrain>(command.CompanyId);
        if (command.CompanyId == Guid.Empty || !await company.Exists())
        {
            throw PortalRuleViolation.NotFound(RuleCodes.CompanyNotFound, "There is no such company.");
        }
        var client = GrainFactory.GetGrain<IClientGrain>(command.ClientId);
        var clientView = await client.Get();
        if (clientView.CompanyId != command.CompanyId)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationClient, "The client belongs to another company.");
        }

        State.Create(command, Now);
        await OweAsync(Notices.ClientProjects | Notices.CompanyProjects);
        await CommitAsync();
        await TellAsync();
        return State.ToView(Id);
    }

    public Task<ProjectView> Get() => Task.FromResult(State.ToView(Id));

    public Task<bool> Exists() => Task.FromResult(State.Created);

    public async Task<Booking> AddBooking(string name, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        var booking = State.AddBooking(Guid.NewGuid(), name, startsAt, endsAt);
        await CommitAndPublishAsync(ProjectParts.Bookings);
        return booking;
    }

    public async Task RemoveBooking(Guid bookingId)
    {
        if (State.RemoveBooking(bookingId))
        {
            await CommitAndPublishAsync(ProjectParts.Bookings);
        }
    }

    public async Task AddFile(SharedFile file)
    {
        if (State.AddFile(file))
        {
            await CommitAndPublishAsync(ProjectParts.Files);
        }
    }

    public async Task RemoveFile(Guid fileId)
    {
        if (State.RemoveFile(fileId))
        {
            await CommitAndPublishAsync(ProjectParts.Files);
        }
    }

    public async Task<ProjectView> Complete()
    {
        State.Complete(Now);
        await CommitStatusAsync();
        return State.ToView(Id);
    }

    public async Task<ProjectView> Reopen()
    {
        State.Reopen();
        await CommitStatusAsync();
        return State.ToView(Id);
    }

    // "All Projects" shows the status, so the change owes the client's list a notification.
    private async Task CommitStatusAsync()
    {
        await OweAsync(Notices.ClientProjects);
        await CommitAndPublishAsync(ProjectParts.Status);
        await TellAsync();
    }

    public async Task ApplyDocumentChange(DocumentChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (ServiceProvider.GetService<IProjectReportHook>() is { } hook)
        {
            await hook.BeforeApplyingAsync(Id, change);
        }
        // Asking the segments awaits, so repeats of archived entries are found before anything changes in memory.
        var archivedRepeats = await ArchivedRepeatsAsync(change.Activity ?? []);
        var parts = ProjectParts.None;
        var sequenceBefore = State.LastSequence();
        if (change.Proposal is not null && State.UpdateProposal(change.Proposal))
        {
            parts |= ProjectParts.Proposals;
        }
        if (change.Invoice is not null && State.UpdateInvoice(change.Invoice))
        {
            parts |= ProjectParts.Invoices;
        }
        var toMail = new List<ActivityEntry>();
        foreach (var activity in change.Activity ?? [])
        {
            if (!archivedRepeats.Contains(activity.Id) && State.RecordActivity(activity))
            {
                parts |= ProjectParts.Activity;
                if (ActivityMail.CallsForEmail(activity.Type))
                {
                    toMail.Add(State.Activity[^1]);
                }
            }
        }
        if (parts != ProjectParts.None)
        {
            await CommitAndPublishAsync(parts, sequenceBefore, toMail.Count > 0 ? () => MailAboutAsync(toMail) : null);
        }
    }

    public async Task<ActivityEntry> RecordActivity(ActivityInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (State.MayRepeatArchived(input) && await FindArchivedAsync(input.Id) is { } archived)
        {
            return archived;
        }
        var sequenceBefore = State.LastSequence();
        if (State.RecordActivity(input))
        {
            await CommitAndPublishAsync(
                ProjectParts.Activity, sequenceBefore,
                ActivityMail.CallsForEmail(input.Type) ? () => MailAboutAsync([State.Activity[^1]]) : null);
        }
        return State.Activity.LastOrDefault(a => a.Id == input.Id)
            ?? await FindArchivedAsync(input.Id)
            ?? throw new InvalidOperationException($"Activity entry {input.Id} is recorded but neither in the project nor in its segments.");
    }

    // Emails the new entries call for (receipt, staff notifications) are stored before the entries are: if
    // storing either fails, nothing is acknowledged and the reporter repeats, and the mailer's message ids (derived
    // from the entry ids) make the repeat enqueue nothing twice.
    private Task MailAboutAsync(IReadOnlyList<ActivityEntry> entries) =>
        GrainFactory.GetGrain<IActivityMailerGrain>(Id).MailAbout(State.ToView(Id), entries);

    public Task<IReadOnlyList<ActivityEntry>> GetActivity() => GetActivityPage(0, int.MaxValue);

    public async Task<IReadOnlyList<ActivityEntry>> GetActivityPage(long afterSequence, int limit)
    {
        EnsureCreated();
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var page = new List<ActivityEntry>();
        var segments = State.ArchivedSegmentCount();
        for (var number = ActivitySegments.NumberOf(afterSequence + 1); number < segments && page.Count < limit; number++)
        {
            var entries = await GrainFactory.ActivitySegment(Id, number).Get();
            page.AddRange(entries.Where(e => e.Sequence > afterSequence).Take(limit - page.Count));
        }
        page.AddRange(State.Activity.Where(e => e.Sequence > afterSequence).Take(limit - page.Count));
        return page;
    }

    /// <summary>Walks the archived segments, oldest first, then the tail, checking every entry and every link.</summary>
    public async Task<ActivityVerification> VerifyActivity()
    {
        EnsureCreated();
        var verifier = new ActivityChainVerifier();
        var segments = State.ArchivedSegmentCount();
        for (var number = 0L; number < segments; number++)
        {
            var entries = await GrainFactory.ActivitySegment(Id, number).Get();
            if (entries.Count == 0)
            {
                verifier.Missing(ActivitySegments.FirstSequenceOf(number), $"activity segment {number} is not stored");
            }
            verifier.Check(entries);
        }
        verifier.Check(State.Activity);
        return verifier.Result;
    }

    /// <summary>The ids among <paramref name="inputs"/> that repeat an entry already moved to a segment.</summary>
    private async Task<HashSet<Guid>> ArchivedRepeatsAsync(IEnumerable<ActivityInput> inputs)
    {
        var repeats = new HashSet<Guid>();
        foreach (var input in inputs)
        {
            if (input is not null && State.MayRepeatArchived(input) && await FindArchivedAsync(input.Id) is not null)
            {
                repeats.Add(input.Id);
            }
        }
        return repeats;
    }

    /// <summary>
    /// Looks for an archived entry, newest segment first. Rare: only an input archived in the last two days or dated
    /// at or before the newest archived entry (a report repeated long after its first delivery) gets here, and a
    /// repeat is most likely recent.
    /// </summary>
    private async Task<ActivityEntry?> FindArchivedAsync(Guid entryId)
    {
        for (var number = State.ArchivedSegmentCount() - 1; number >= 0; number--)
        {
            if (await GrainFactory.ActivitySegment(Id, number).Find(entryId) is { } entry)
            {
                return entry;
            }
        }
        return null;
    }

    /// <summary>
    /// Moves the oldest whole segments of the tail to their own rows while the tail is over its limit. Each segment
    /// is stored before the project drops its entries (the project's write follows), so a failure in between leaves
    /// the entries in both places, never in neither, and the next append stores the same segment again (a no-op).
    /// A segment that cannot be stored now stays in the tail: the append it follows is not refused for it.
    /// </summary>
    private async Task ArchiveFullSegmentsAsync()
    {
        while (State.SegmentToArchive() is { } segment)
        {
            try
            {
                await GrainFactory.ActivitySegment(Id, segment.Number).Store(segment.Entries);
            }
            catch (Exception failure)
            {
                Logger.LogWarning(failure, "Project {ProjectId} could not store activity segment {Segment}; it stays in the project for now", Id, segment.Number);
                return;
            }
            State.DropArchived(segment.Number, Now);
        }
    }

    public Task<long> Subscribe(IProjectObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        EnsureCreated();
        _observers.Subscribe(observer, observer);
        return Task.FromResult(State.Version);
    }

    public Task Unsubscribe(IProjectObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stores the change, then tells the watching web nodes (one-way, so a slow or dead node costs nothing) and
    /// passes the activity the staff feed reports on to the company's feed. Both happen only after the write.
    /// </summary>
    private async Task CommitAndPublishAsync(ProjectParts parts, long sequenceBefore = -1, Func<Task>? beforeWrite = null)
    {
        List<ActivityEntry> added = sequenceBefore >= 0 ? [.. State.Activity.Where(e => e.Sequence > sequenceBefore)] : [];
        await CommitAsync(async () =>
        {
            if (beforeWrite is not null)
            {
                await beforeWrite();
            }
            await ArchiveFullSegmentsAsync();
        });
        if (_observers.Count > 0)
        {
            var change = new ProjectChanged(Id, State.CompanyId, State.ClientId, State.Number, State.Version, parts, added);
            // One-way: completes once the messages are handed over, whatever the nodes do with them.
            await _observers.Notify(observer => observer.OnProjectChanged(change));
        }
        var reported = added.Where(entry => StaffFeedTypes.IsReported(entry.Type)).ToList();
        if (reported.Count > 0)
        {
            await NotifyAsync(
                "report activity to the staff feed",
                () => GrainFactory.GetGrain<ICompanyFeedGrain>(State.CompanyId).Publish(Id, State.Number, State.ClientId, reported));
        }
    }

    private void EnsureCreated()
    {
        if (!State.Created)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.ProjectNotFound, "There is no such project.");
        }
    }

    protected override (string What, Func<Task> Notify) Notice(Notices notice) => notice switch
    {
        Notices.ClientProjects => ("update the client's projects", () => GrainFactory.GetGrain<IClientGrain>(State.ClientId).TrackProject(State.ToClientEntry(Id))),
        Notices.CompanyProjects => ("register the project with its company", () => GrainFactory.GetGrain<ICompanyGrain>(State.CompanyId).RegisterProject(Id)),
        _ => throw new ArgumentOutOfRangeException(nameof(notice), notice, "A project owes no such notice."),
    };
}
