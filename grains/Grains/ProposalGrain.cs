using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

public sealed class ProposalGrain(
    [PersistentState("proposal", StorageNames.Portal)] IPersistentState<ProposalState> state,
    ILogger<ProposalGrain> logger)
    : DocumentGrain<ProposalState>(state, logger), IProposalGrain
{
    public const string ExpiryReminder = "proposal-expiry";

    // Reminder timers cannot wait arbitrarily long; a far-off expiry is reached in hops of at most this.
    private static readonly TimeSpan LongestReminderWait = TimeSpan.FromDays(30);

    // A reminder needs a period; the handler always re-arms or removes it, so this only matters if it cannot.
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromDays(1);

    // Fires just after the valid-until day is over, so the clock reading in the handler is past it.
    private static readonly TimeSpan ReminderMargin = TimeSpan.FromSeconds(1);

    public async Task<ProposalView> Create(CreateProposal command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (State.Created)
        {
            throw new PortalRuleViolation(RuleCodes.ProposalExists, "This proposal already exists.");
        }
        await ProjectGuard.EnsureOpenProjectAsync(GrainFactory, command.ProjectId, command.CompanyId, command.ClientId);

        var now = Now;
        State.Create(command, now);
        // Reported like every later change: stored with the change, retried until the project has it.
        await CommitAndReportAsync();
        return State.ToView(Id, now);
    }

    public Task<ProposalView> Get() => Task.FromResult(State.ToView(Id, Now));

    public Task<bool> Exists() => Task.FromResult(State.Created);

    public async Task<ProposalView> Edit(EditProposal command)
    {
        var now = Now;
        var version = State.DocumentVersion;
        State.Edit(command, now);
        if (State.DocumentVersion != version)
        {
            Record(ActivityTypes.ProposalEdited, StaffActing.Current, State.Totals!.Total, State.Currency, $"Version {State.DocumentVersion}");
        }
        await CommitAndReportAsync(State.IsAwaitingDecision ? () => ScheduleExpiryAsync(now) : null);
        return State.ToView(Id, now);
    }

    public async Task<ProposalSent> Send(SendDocument command)
    {
        var now = Now;
        var email = await SendAsync(
            command,
            LinkTargetKind.Proposal,
            () =>
            {
                State.Send(now);
                Record(ActivityTypes.ProposalSent, StaffActing.Current, State.Totals!.Total, State.Currency);
            },
            // The reminder is armed before the write: a reminder for a send that was never stored finds a draft
            // and removes itself, whereas a stored send without a reminder would never be durably expired.
            () => ScheduleExpiryAsync(now));
        return new ProposalSent(State.ToView(Id, Now), email);
    }

    public async Task<ProposalView> MarkViewed(Actor viewer)
    {
        var now = Now;
        if (!State.MarkViewed(viewer, now))
        {
            return State.ToView(Id, now);
        }
        Record(ActivityTypes.ProposalViewed, viewer);
        await CommitAndReportAsync();
        return State.ToView(Id, now);
    }

    public async Task<ProposalView> Accept(AcceptProposal command)
    {
        var now = Now;
        State.Accept(command, now);
        var evidence = State.Acceptance!;
        Record(
            ActivityTypes.ProposalAccepted, command.Signer, State.Totals!.Total, State.Currency,
            $"Signed ({evidence.Method.ToString().ToLowerInvariant()}) version {evidence.DocumentVersion}, document SHA-256 {evidence.DocumentSha256}, evidence SHA-256 {SignatureEvidenceHash.Compute(evidence)}");
        // Only the signer's own durable write is on their request; the project, emails and feed follow it.
        await CommitAndReportAfterAnswerAsync();
        return State.ToView(Id, now);
    }

    public async Task<ProposalView> Decline(DeclineProposal command)
    {
        var now = Now;
        State.Decline(command, now);
        Record(ActivityTypes.ProposalDeclined, command.By, State.Totals!.Total, State.Currency, State.DeclineReason);
        await CommitAndReportAsync();
        return State.ToView(Id, now);
    }

    public async Task<ProposalView> Withdraw()
    {
        var now = Now;
        State.Withdraw(now);
        Record(ActivityTypes.ProposalWithdrawn, StaffActing.Current, State.Totals!.Total, State.Currency);
        await CommitAndReportAsync();
        return State.ToView(Id, now);
    }

    /// <summary>
    /// The expiry reminder: records Expired durably once the valid-until day is over, then removes itself.
    /// If it fires early (a long wait is made in hops), it re-arms for the remaining time.
    /// </summary>
    public override async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            await base.ReceiveReminder(reminderName, status);
            return;
        }
        var now = Now;
        if (State.MarkExpired(now))
        {
            Record(ActivityTypes.ProposalExpired, Actor.System, State.Totals!.Total, State.Currency);
            await CommitAndReportAsync();
            await StopExpiryReminderAsync();
            return;
        }
        if (State.Created && State.IsAwaitingDecision)
        {
            await ScheduleExpiryAsync(now);
            return;
        }
        await StopExpiryReminderAsync();
    }

    protected override string DocumentNumber => State.Number;

    protected override DocumentKind DocumentKind => State.Kind;

    protected override DocumentChange Summarise(IReadOnlyList<ActivityInput> activity) =>
        new(State.ToSummary(Id, Now), null, activity);

    private async Task ScheduleExpiryAsync(DateTimeOffset now)
    {
        var wait = State.ExpiresAt - now + ReminderMargin;
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }
        if (wait > LongestReminderWait)
        {
            wait = LongestReminderWait;
        }
        await this.RegisterOrUpdateReminder(ExpiryReminder, wait, ReminderPeriod);
    }

    private async Task StopExpiryReminderAsync()
    {
        try
        {
            var reminder = await this.GetReminder(ExpiryReminder);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception failure)
        {
            // It fires again later and tries again; nothing is lost.
            Logger.LogWarning(failure, "Could not remove the expiry reminder of proposal {ProposalId}", Id);
        }
    }
}
