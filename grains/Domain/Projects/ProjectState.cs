namespace Portal.Domain;

/// <summary>
/// A project and the summaries behind its overview. <see cref="Version"/> goes up by one on every change,
/// so a page that saw version n knows exactly whether it missed something.
/// </summary>
public sealed class ProjectState : IOwesNotices
{
    public bool Created { get; set; }
    public Guid CompanyId { get; set; }
    public Guid ClientId { get; set; }
    public int Number { get; set; }
    public string Title { get; set; } = "";
    public string? SiteAddress { get; set; }
    public ProjectStatus Status { get; set; }
    public List<ProposalSummary> Proposals { get; set; } = [];
    public List<Booking> Bookings { get; set; } = [];
    public List<SharedFile> Files { get; set; } = [];
    public List<InvoiceSummary> Invoices { get; set; } = [];
    public long Version { get; set; }
    /// <summary>Notifications owed to other grains for stored changes (see <see cref="Notices"/>).</summary>
    public Notices PendingNotices { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// The newest entries of the append-only, hash-chained activity log (see <see cref="ActivityChain"/>): at most
    /// <see cref="ActivitySegments.TailLimit"/>; the older ones are in the project's activity segments.
    /// </summary>
    public List<ActivityEntry> Activity { get; set; } = [];

    /// <summary>
    /// The latest time among the archived entries (null while none is). A repeated report carries its entry's
    /// original time, so only an input at or before this time can repeat an archived entry.
    /// </summary>
    public DateTimeOffset? ArchivedUntil { get; set; }

    /// <summary>
    /// Ids (with times) of the archived entries that stand for a whole day (<see cref="ActivityIds.StandsForADay"/>)
    /// recorded within <see cref="ActivitySegments.RepeatWindow"/>: a repeat of one carries a new time, so only this
    /// finds it once its entry was archived before the day ended. At most one per invoice and client a day.
    /// </summary>
    public Dictionary<Guid, DateTimeOffset> RecentlyArchived { get; set; } = [];

    public void Create(CreateProject command, DateTimeOffset now)
    {
        if (Created)
        {
            throw new PortalRuleViolation(RuleCodes.ProjectExists, "This project already exists.");
        }
        var title = CheckNew(command);
        if (command.Number <= 0)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationNumber, "The project number must be positive.");
        }

        Created = true;
        CompanyId = command.CompanyId;
        ClientId = command.ClientId;
        Number = command.Number;
        Title = title;
        SiteAddress = Validate.Optional(command.SiteAddress);
        Status = ProjectStatus.Open;
        CreatedAt = now;
        Version = 1;
    }

    /// <summary>
    /// Every check of <see cref="Create"/> but the number's, so a caller refuses a bad project before it allocates a
    /// number for it (a refused create leaves no gap in the sequence). Returns the trimmed title.
    /// </summary>
    public static string CheckNew(CreateProject command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Validate.Id(command.CompanyId, RuleCodes.ValidationCompany, "company");
        Validate.Id(command.ClientId, RuleCodes.ValidationClient, "client");
        return Validate.Name(command.Title, RuleCodes.ValidationTitle, "project title");
    }

    public Booking AddBooking(Guid bookingId, string name, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        EnsureOpen("add a booking to");
        var cleanName = Validate.Name(name, RuleCodes.ValidationBooking, "booking name");
        if (endsAt <= startsAt)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationBooking, "A booking must end after it starts.");
        }
        var booking = new Booking(bookingId, cleanName, startsAt, endsAt);
        Bookings.Add(booking);
        Bookings.Sort((a, b) => a.StartsAt.CompareTo(b.StartsAt));
        Version++;
        return booking;
    }

    /// <summary>Returns false when there was no such booking (nothing to save).</summary>
    public bool RemoveBooking(Guid bookingId)
    {
        EnsureCreated();
        if (Bookings.RemoveAll(b => b.Id == bookingId) == 0)
        {
            return false;
        }
        Version++;
        return true;
    }

    /// <summary>Adds a shared file; sharing the same file id again changes nothing and returns false.</summary>
    public bool AddFile(SharedFile file)
    {
        EnsureOpen("share files on");
        ArgumentNullException.ThrowIfNull(file);
        Validate.Id(file.Id, RuleCodes.ValidationFile, "file id");
        Validate.Name(file.Name, RuleCodes.ValidationFile, "file name", 255);
        if (file.Size < 0)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationFile, "The file size cannot be negative.");
        }
        if (Files.Any(f => f.Id == file.Id))
        {
            return false;
        }
        Files.Add(file);
        Version++;
        return true;
    }

    public bool RemoveFile(Guid fileId)
    {
        EnsureCreated();
        if (Files.RemoveAll(f => f.Id == fileId) == 0)
        {
            return false;
        }
        Version++;
        return true;
    }

    public void Complete(DateTimeOffset now)
    {
        EnsureCreated();
        if (Status == ProjectStatus.Complete)
        {
            throw new PortalRuleViolation(RuleCodes.ProjectAlreadyComplete, $"Project #{Number} is already complete.");
        }
        Status = ProjectStatus.Complete;
        CompletedAt = now;
        Version++;
    }

    public void Reopen()
    {
        EnsureCreated();
        if (Status != ProjectStatus.Complete)
        {
            throw new PortalRuleViolation(RuleCodes.ProjectNotComplete, $"Project #{Number} is not complete.");
        }
        Status = ProjectStatus.Open;
        CompletedAt = null;
        Version++;
    }

    /// <summary>
    /// Replaces the proposal's summary by id (adding it if unknown). Allowed on a complete project: a
    /// document's fate must show even after the job is done. Returns false when nothing changed.
    /// </summary>
    public bool UpdateProposal(ProposalSummary summary)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(summary);
        var index = Proposals.FindIndex(p => p.Id == summary.Id);
        if (index >= 0 && Proposals[index] == summary)
        {
            return false;
        }
        if (index >= 0)
        {
            Proposals[index] = summary;
        }
        else
        {
            Proposals.Add(summary);
        }
        Version++;
        return true;
    }

    public bool UpdateInvoice(InvoiceSummary summary)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(summary);
        var index = Invoices.FindIndex(i => i.Id == summary.Id);
        if (index >= 0 && SameInvoice(Invoices[index], summary))
        {
            return false;
        }
        if (index >= 0)
        {
            Invoices[index] = summary;
        }
        else
        {
            Invoices.Add(summary);
        }
        Version++;
        return true;
    }

    /// <summary>
    /// Appends an entry to the activity log. The same entry id twice is recorded once (returns false), so the
    /// grains that report activity may repeat a delivery they are unsure of.
    /// </summary>
    public bool RecordActivity(ActivityInput input)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(input);
        Validate.Id(input.Id, RuleCodes.ValidationActivity, "activity id");
        if (string.IsNullOrWhiteSpace(input.Type) || input.Type.Length > 64)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationActivity, "An activity entry needs a type of at most 64 characters.");
        }
        if (input.By is null)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationActivity, "An activity entry needs an actor.");
        }
        if (HasActivity(input.Id) || RecentlyArchived.ContainsKey(input.Id))
        {
            return false;
        }
        Activity.Add(ActivityChain.Append(Activity, input));
        Version++;
        return true;
    }

    /// <summary>The sequence of the newest entry (0 while the log is empty).</summary>
    public long LastSequence() => Activity.Count == 0 ? 0 : Activity[^1].Sequence;

    /// <summary>How many segments hold archived entries (they are numbered 0 … count − 1).</summary>
    public long ArchivedSegmentCount() => Activity.Count == 0 ? 0 : ActivitySegments.NumberOf(Activity[0].Sequence);

    /// <summary>
    /// Whether <paramref name="input"/> might repeat an entry that was archived, so the segments must be asked
    /// before it is appended. False for every input newer than the newest archived entry (nearly all of them).
    /// </summary>
    public bool MayRepeatArchived(ActivityInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return !HasActivity(input.Id)
            && (RecentlyArchived.ContainsKey(input.Id) || (ArchivedUntil is { } until && input.At <= until));
    }

    /// <summary>
    /// The oldest whole segment of the tail once the tail is over its limit: the caller stores it as segment
    /// <c>Number</c>, then calls <see cref="DropArchived"/>. Null while the tail is within its limit.
    /// </summary>
    public (long Number, IReadOnlyList<ActivityEntry> Entries)? SegmentToArchive()
    {
        if (Activity.Count <= ActivitySegments.TailLimit)
        {
            return null;
        }
        return (ActivitySegments.NumberOf(Activity[0].Sequence), Activity.GetRange(0, ActivitySegments.Size));
    }

    /// <summary>Drops segment <paramref name="number"/>'s entries from the tail once the segment is stored.</summary>
    public void DropArchived(long number, DateTimeOffset now)
    {
        if (SegmentToArchive() is not { } segment || segment.Number != number)
        {
            throw new InvalidOperationException($"Segment {number} is not the next one to archive.");
        }
        var latest = segment.Entries.Max(e => e.At);
        ArchivedUntil = ArchivedUntil is { } until && until > latest ? until : latest;
        var since = now - ActivitySegments.RepeatWindow;
        foreach (var entry in segment.Entries.Where(e => ActivityIds.StandsForADay(e.Type) && e.At >= since))
        {
            RecentlyArchived[entry.Id] = entry.At;
        }
        foreach (var old in RecentlyArchived.Where(r => r.Value < since).Select(r => r.Key).ToList())
        {
            RecentlyArchived.Remove(old);
        }
        Activity.RemoveRange(0, segment.Entries.Count);
    }

    public bool HasActivity(Guid id)
    {
        // Recent entries are the likely repeats; scan from the end.
        for (var i = Activity.Count - 1; i >= 0; i--)
        {
            if (Activity[i].Id == id)
            {
                return true;
            }
        }
        return false;
    }

    public ProjectView ToView(Guid id)
    {
        EnsureCreated();
        return new ProjectView(
            id, CompanyId, ClientId, Number, Title, SiteAddress, Status, [.. Proposals], [.. Bookings], [.. Files],
            [.. Invoices], Version, CreatedAt);
    }

    public ClientProjectEntry ToClientEntry(Guid id)
    {
        EnsureCreated();
        return new ClientProjectEntry(id, Number, Title, Status);
    }

    // Records compare lists by reference; the ledger must be compared by content.
    private static bool SameInvoice(InvoiceSummary a, InvoiceSummary b) =>
        a with { Payments = Array.Empty<PaymentView>() } == b with { Payments = Array.Empty<PaymentView>() } && a.Payments.SequenceEqual(b.Payments);

    private void EnsureOpen(string action)
    {
        EnsureCreated();
        ProjectRules.EnsureOpen(Status, Number, action);
    }

    private void EnsureCreated()
    {
        if (!Created)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.ProjectNotFound, "There is no such project.");
        }
    }
}
