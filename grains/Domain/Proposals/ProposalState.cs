namespace Portal.Domain;

/// <summary>
/// A quote or estimate and its rules. Every method checks everything before it changes anything, so a
/// refused command leaves the state exactly as it was. Time is passed in; the domain never reads a clock.
/// </summary>
public sealed class ProposalState : ISendsToClient
{
    public bool Created { get; set; }
    public bool ProjectStale { get; set; }
    public List<ActivityInput> PendingActivity { get; set; } = [];
    public Guid CompanyId { get; set; }
    public Guid ProjectId { get; set; }
    public Guid ClientId { get; set; }
    public DocumentKind Kind { get; set; }
    public string Number { get; set; } = "";
    public ProposalStatus Status { get; set; }
    public int DocumentVersion { get; set; }
    public List<PricedLine> Lines { get; set; } = [];
    public DocumentTotals? Totals { get; set; }
    public string Currency { get; set; } = Money.DefaultCurrency;
    public string? Notes { get; set; }
    public DateOnly ValidUntil { get; set; }
    public string TimeZone { get; set; } = "Europe/London";
    public int? TermsVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public ViewRecord? FirstViewed { get; set; }
    public SignatureEvidence? Acceptance { get; set; }
    public DateTimeOffset? DeclinedAt { get; set; }
    public Actor? DeclinedBy { get; set; }
    public string? DeclineReason { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int SendCount { get; set; }
    public PendingSend? PendingSend { get; set; }

    private string KindName => Kind == DocumentKind.Estimate ? "estimate" : "quote";

    public void Create(CreateProposal command, DateTimeOffset now)
    {
        if (Created)
        {
            throw new PortalRuleViolation(RuleCodes.ProposalExists, "This proposal already exists.");
        }
        var (timeZone, priced) = CheckNew(command, now);
        var number = Validate.Name(command.Number, RuleCodes.ValidationNumber, "document number", 40);

        Created = true;
        CompanyId = command.CompanyId;
        ProjectId = command.ProjectId;
        ClientId = command.ClientId;
        Kind = command.Kind;
        Number = number;
        Status = ProposalStatus.Draft;
        DocumentVersion = 1;
        Lines = priced.Lines;
        Totals = priced.Totals;
        Currency = priced.Totals.Currency;
        Notes = Validate.Optional(command.Notes);
        ValidUntil = command.ValidUntil;
        TimeZone = timeZone;
        TermsVersion = command.TermsVersion;
        CreatedAt = now;
    }

    /// <summary>
    /// Every check of <see cref="Create"/> but the number's, so a caller refuses a bad proposal before it allocates a
    /// number for it (a refused create leaves no gap in the sequence). Returns the time zone and the priced lines.
    /// </summary>
    public static (string TimeZone, PricedDocument Priced) CheckNew(CreateProposal command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Kind is not (DocumentKind.Quote or DocumentKind.Estimate))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationKind, "A proposal is a quote or an estimate.");
        }
        Validate.Id(command.CompanyId, RuleCodes.ValidationCompany, "company");
        Validate.Id(command.ProjectId, RuleCodes.ValidationProject, "project");
        Validate.Id(command.ClientId, RuleCodes.ValidationClient, "client");
        var timeZone = Validate.TimeZone(string.IsNullOrWhiteSpace(command.TimeZone) ? "Europe/London" : command.TimeZone);
        EnsureValidUntilNotPast(command.ValidUntil, now, timeZone);
        return (timeZone, Pricing.Price(command.Lines, command.Currency));
    }

    /// <summary>The status a person should see now: an open proposal past its valid-until day is Expired.</summary>
    public ProposalStatus StatusAt(DateTimeOffset now) =>
        Status is ProposalStatus.Sent or ProposalStatus.Viewed && LocalDay.IsOver(ValidUntil, now, TimeZone)
            ? ProposalStatus.Expired
            : Status;

    /// <summary>The instant the proposal stops being acceptable.</summary>
    public DateTimeOffset ExpiresAt => LocalDay.EndOf(ValidUntil, TimeZone);

    public bool IsAwaitingDecision => Status is ProposalStatus.Sent or ProposalStatus.Viewed;

    public void Edit(EditProposal command, DateTimeOffset now)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(command);
        var status = StatusAt(now);
        if (status == ProposalStatus.Expired)
        {
            throw Expired();
        }
        if (status is not (ProposalStatus.Draft or ProposalStatus.Sent or ProposalStatus.Viewed))
        {
            throw new PortalRuleViolation(RuleCodes.ProposalNotEditable, $"This {KindName} is {Describe(status)} and can no longer be edited.");
        }
        EnsureValidUntilNotPast(command.ValidUntil, now, TimeZone);
        var priced = Pricing.Price(command.Lines, Currency);

        Lines = priced.Lines;
        Totals = priced.Totals;
        Notes = Validate.Optional(command.Notes);
        ValidUntil = command.ValidUntil;
        if (status != ProposalStatus.Draft)
        {
            // The client may already have read the old content; a new version makes any signature of it stale.
            DocumentVersion++;
            Status = ProposalStatus.Sent;
        }
    }

    public void Send(DateTimeOffset now)
    {
        EnsureCreated();
        if (Status != ProposalStatus.Draft)
        {
            throw new PortalRuleViolation(RuleCodes.ProposalNotSendable, $"This {KindName} is {Describe(StatusAt(now))}; only a draft can be sent.");
        }
        if (LocalDay.IsOver(ValidUntil, now, TimeZone))
        {
            throw new PortalRuleViolation(RuleCodes.ProposalValidUntilPassed, $"The valid-until date of this {KindName} has passed; change it before sending.");
        }
        Status = ProposalStatus.Sent;
        SentAt = now;
    }

    /// <summary>Records the first view of a sent proposal. Returns false (nothing to save) for every later view.</summary>
    public bool MarkViewed(Actor viewer, DateTimeOffset now)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(viewer);
        if (Status != ProposalStatus.Sent || FirstViewed is not null || StatusAt(now) == ProposalStatus.Expired)
        {
            return false;
        }
        Status = ProposalStatus.Viewed;
        FirstViewed = new ViewRecord(viewer, now);
        return true;
    }

    public void Accept(AcceptProposal command, DateTimeOffset now)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(command);
        EnsureDecisionPossible(command.DocumentVersion, now, "accepted");
        EnsureTermsAsSent(command);
        var evidence = SignatureEvidenceBuilder.Build(command, now, DocumentVersion, DocumentSha256());

        Status = ProposalStatus.Accepted;
        Acceptance = evidence;
        ClosedAt = now;
    }

    public void Decline(DeclineProposal command, DateTimeOffset now)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(command.By);
        EnsureDecisionPossible(command.DocumentVersion, now, "declined");
        var reason = Validate.Optional(SignatureEvidenceBuilder.SanitiseText(command.Reason));
        if (reason is { Length: > DeclineProposal.MaxReasonLength })
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationReason, $"The reason can be at most {DeclineProposal.MaxReasonLength} characters.");
        }

        Status = ProposalStatus.Declined;
        DeclinedAt = now;
        DeclinedBy = command.By;
        DeclineReason = reason;
        ClosedAt = now;
    }

    public void Withdraw(DateTimeOffset now)
    {
        EnsureCreated();
        var status = StatusAt(now);
        if (status == ProposalStatus.Expired)
        {
            throw Expired();
        }
        if (status is not (ProposalStatus.Draft or ProposalStatus.Sent or ProposalStatus.Viewed))
        {
            throw new PortalRuleViolation(RuleCodes.ProposalNotWithdrawable, $"This {KindName} is {Describe(status)} and cannot be withdrawn.");
        }
        Status = ProposalStatus.Withdrawn;
        ClosedAt = now;
    }

    /// <summary>
    /// Makes a derived expiry durable (called by the expiry reminder). Returns false when there is nothing
    /// to record: the proposal was decided or withdrawn, or its valid-until day is not over yet.
    /// </summary>
    public bool MarkExpired(DateTimeOffset now)
    {
        if (!Created || StatusAt(now) != ProposalStatus.Expired || Status == ProposalStatus.Expired)
        {
            return false;
        }
        Status = ProposalStatus.Expired;
        ClosedAt = ExpiresAt;
        return true;
    }

    public string DocumentSha256() => ProposalContentHash.Compute(this);

    public ProposalView ToView(Guid id, DateTimeOffset now)
    {
        EnsureCreated();
        return new ProposalView(
            id, CompanyId, ProjectId, ClientId, Kind, Number, StatusAt(now), DocumentVersion,
            [.. Lines], Totals!, Notes, ValidUntil, TimeZone, TermsVersion, CreatedAt, SentAt, FirstViewed,
            Acceptance, DeclinedAt, DeclineReason, ClosedAt, DocumentSha256());
    }

    public ProposalSummary ToSummary(Guid id, DateTimeOffset now)
    {
        EnsureCreated();
        return new ProposalSummary(id, Number, Kind, StatusAt(now), Totals!.Total, Currency, SentAt, ValidUntil);
    }

    private void EnsureDecisionPossible(int documentVersion, DateTimeOffset now, string verb)
    {
        var status = StatusAt(now);
        if (status == ProposalStatus.Expired)
        {
            throw Expired();
        }
        if (status is not (ProposalStatus.Sent or ProposalStatus.Viewed))
        {
            throw new PortalRuleViolation(RuleCodes.ProposalNotOpen, $"This {KindName} is {Describe(status)} and cannot be {verb}.");
        }
        if (documentVersion != DocumentVersion)
        {
            throw new PortalRuleViolation(RuleCodes.ProposalStaleVersion, $"This {KindName} has changed — review it again");
        }
    }

    /// <summary>
    /// The client signs the terms this proposal was sent with (0 when it was sent without terms), never the company's
    /// current ones: the version the page showed and the version of the consent text must both be the pinned one.
    /// </summary>
    private void EnsureTermsAsSent(AcceptProposal command)
    {
        var pinned = TermsVersion ?? 0;
        if (command.TermsVersion != pinned || (command.Signature is { } signature && signature.ConsentVersion != pinned))
        {
            throw new PortalRuleViolation(
                RuleCodes.ProposalTermsChanged, $"The terms of business shown are not the ones this {KindName} was sent with — review them again");
        }
    }

    private PortalRuleViolation Expired() =>
        new(RuleCodes.ProposalExpired, $"This {KindName} expired at the end of {ValidUntil:d MMM yyyy}.");

    private static void EnsureValidUntilNotPast(DateOnly validUntil, DateTimeOffset now, string timeZone)
    {
        if (validUntil == default)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationValidUntil, "Choose a valid-until date.");
        }
        if (LocalDay.IsOver(validUntil, now, timeZone))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationValidUntil, "The valid-until date cannot be in the past.");
        }
    }

    private void EnsureCreated()
    {
        if (!Created)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.ProposalNotFound, "There is no such proposal.");
        }
    }

    private static string Describe(ProposalStatus status) => status switch
    {
        ProposalStatus.Draft => "a draft",
        ProposalStatus.Sent => "sent",
        ProposalStatus.Viewed => "viewed",
        ProposalStatus.Accepted => "accepted",
        ProposalStatus.Declined => "declined",
        ProposalStatus.Expired => "expired",
        ProposalStatus.Withdrawn => "withdrawn",
        _ => status.ToString().ToLowerInvariant(),
    };
}
