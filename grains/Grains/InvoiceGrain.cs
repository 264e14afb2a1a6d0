using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Domain;
using Portal.Payments;

namespace Portal.Grains;

public sealed class InvoiceGrain(
    [PersistentState("invoice", StorageNames.Portal)] IPersistentState<InvoiceState> state,
    ILogger<InvoiceGrain> logger)
    : DocumentGrain<InvoiceState>(state, logger), IInvoiceGrain
{
    /// <summary>How long one request to expire a checkout may take; the grain keeps serving meanwhile.</summary>
    private static readonly TimeSpan ExpiryRequestTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ExpiryRetryPeriod = TimeSpan.FromSeconds(30);

    private IGrainTimer? _expiry;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        // Checkouts withdrawn before the last deactivation (or a crash) are still expired.
        ScheduleCheckoutExpiry();
    }

    public async Task<InvoiceView> Create(CreateInvoice command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (State.Created)
        {
            throw new PortalRuleViolation(RuleCodes.InvoiceExists, "This invoice already exists.");
        }
        await ProjectGuard.EnsureOpenProjectAsync(GrainFactory, command.ProjectId, command.CompanyId, command.ClientId);

        State.Create(command, Now);
        // Reported like every later change: stored with the change, retried until the project has it.
        await CommitAndReportAsync();
        return State.ToView(Id);
    }

    public Task<InvoiceView> Get() => Task.FromResult(State.ToView(Id));

    public Task<bool> Exists() => Task.FromResult(State.Created);

    public async Task<InvoiceSent> Send(SendDocument command)
    {
        var email = await SendAsync(command, LinkTargetKind.Invoice, () =>
        {
            State.Send(Now);
            Record(ActivityTypes.InvoiceSent, StaffActing.Current, State.Total, State.Currency);
        });
        return new InvoiceSent(State.ToView(Id), email);
    }

    public async Task<InvoiceView> MarkViewed(Actor viewer)
    {
        if (!State.MarkViewed(viewer, Now))
        {
            return State.ToView(Id);
        }
        Record(ActivityTypes.InvoiceViewed, viewer);
        await CommitAndReportAsync();
        return State.ToView(Id);
    }

    public async Task<InvoiceView> RecordManualPayment(RecordManualPayment command)
    {
        if (!State.RecordManualPayment(command, Now))
        {
            return State.ToView(Id);
        }
        Record(
            ActivityTypes.PaymentSucceeded, command.RecordedBy, command.Amount, State.Currency,
            command.Reference is { Length: > 0 } reference ? $"{command.Method}: {reference}" : command.Method.ToString());
        await CommitAndReportAsync();
        ScheduleCheckoutExpiry();
        return State.ToView(Id);
    }

    public async Task<InvoiceView> StartCardPayment(StartCardPayment command)
    {
        if (!State.StartCardPayment(command, Now))
        {
            return State.ToView(Id);
        }
        // A started checkout is not yet activity (nothing happened to the money), but the overview shows it.
        await CommitAndReportAsync();
        ScheduleCheckoutExpiry();
        return State.ToView(Id);
    }

    public async Task<CardEventResult> ApplyCardEvent(CardPaymentEvent cardEvent)
    {
        var effect = State.ApplyCardEvent(cardEvent, Now);
        if (effect.Outcome != CardEventOutcome.Applied)
        {
            Logger.LogInformation("Invoice {InvoiceId}: {Kind} event {EventId} not applied ({Outcome}: {Note})",
                Id, cardEvent.Kind, cardEvent.EventId, effect.Outcome, effect.Note);
            return new CardEventResult(effect.Outcome, effect.Note, State.ToView(Id));
        }
        var by = effect.Entry?.RecordedBy ?? Actor.System;
        foreach (var activity in effect.Activity)
        {
            Record(activity.Type, by, activity.Amount, State.Currency, activity.Detail);
        }
        await CommitAndReportAsync();
        ScheduleCheckoutExpiry();
        return new CardEventResult(CardEventOutcome.Applied, null, State.ToView(Id));
    }

    public async Task<InvoiceView> Void()
    {
        State.Void(Now);
        Record(ActivityTypes.InvoiceVoided, StaffActing.Current, State.Total, State.Currency);
        await CommitAndReportAsync();
        ScheduleCheckoutExpiry();
        return State.ToView(Id);
    }

    /// <summary>
    /// Withdrawn checkouts are stored with the change that withdrew them; expiring them at the provider follows the
    /// answer (a timer due at once), so an unreachable provider never holds up recording a payment or a void.
    /// </summary>
    private void ScheduleCheckoutExpiry()
    {
        if (State.CheckoutsToExpire.Count == 0 || _expiry is not null)
        {
            return;
        }
        // Interleaved: a slow provider must not queue the invoice's requests behind it. The callback only removes
        // confirmed checkouts from the list in memory; the next stored change persists that, and a repeat after a
        // restart is answered "not open" by the provider.
        _expiry = this.RegisterGrainTimer(
            _ => ExpireCheckoutsAsync(),
            new GrainTimerCreationOptions(TimeSpan.Zero, ExpiryRetryPeriod) { Interleave = true, KeepAlive = true });
    }

    private async Task ExpireCheckoutsAsync()
    {
        var due = State.CheckoutsDueForExpiry(Now);
        var checkouts = ServiceProvider.GetService<ICheckoutSessions>();
        if (due.Count > 0 && checkouts is null)
        {
            Logger.LogWarning(
                "Invoice {InvoiceId}: {Count} checkout(s) should be expired but card payments are not configured on this silo; they lapse at their own expiry",
                Id, due.Count);
            State.CheckoutsToExpire.Clear();
        }
        else if (checkouts is not null)
        {
            foreach (var checkout in due)
            {
                await ExpireAsync(checkouts, checkout.SessionId);
            }
        }
        if (State.CheckoutsToExpire.Count == 0)
        {
            _expiry?.Dispose();
            _expiry = null;
        }
    }

    private async Task ExpireAsync(ICheckoutSessions checkouts, string sessionId)
    {
        using var timeout = new CancellationTokenSource(ExpiryRequestTimeout);
        CheckoutExpiryOutcome outcome;
        try
        {
            outcome = await checkouts.ExpireAsync(sessionId, timeout.Token);
        }
        catch (Exception failure)
        {
            Logger.LogWarning(failure, "Invoice {InvoiceId}: expiring checkout {SessionId} failed; retrying", Id, sessionId);
            return;
        }
        if (outcome == CheckoutExpiryOutcome.Failed)
        {
            Logger.LogWarning("Invoice {InvoiceId}: the provider did not expire checkout {SessionId}; retrying", Id, sessionId);
            return;
        }
        State.CheckoutClosed(sessionId);
        Logger.LogInformation("Invoice {InvoiceId}: checkout {SessionId} closed at the provider ({Outcome})", Id, sessionId, outcome);
    }

    protected override string DocumentNumber => State.Number;

    protected override DocumentKind DocumentKind => DocumentKind.Invoice;

    protected override DocumentChange Summarise(IReadOnlyList<ActivityInput> activity) =>
        new(null, State.ToSummary(Id), activity);
}
