using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

public sealed class InvoiceGrain(
    [PersistentState("invoice", StorageNames.Portal)] IPersistentState<InvoiceState> state,
    ILogger<InvoiceGrain> logger)
    : DocumentGrain<InvoiceState>(state, logger), IInvoiceGrain
{
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
            Record(ActivityTypes.InvoiceSent, Actor.Staff, State.Total, State.Currency);
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
        return new CardEventResult(CardEventOutcome.Applied, null, State.ToView(Id));
    }

    public async Task<InvoiceView> Void()
    {
        State.Void(Now);
        Record(ActivityTypes.InvoiceVoided, Actor.Staff, State.Total, State.Currency);
        await CommitAndReportAsync();
        return State.ToView(Id);
    }

    protected override string DocumentNumber => State.Number;

    protected override DocumentKind DocumentKind => DocumentKind.Invoice;

    protected override DocumentChange Summarise(IReadOnlyList<ActivityInput> activity) =>
        new(null, State.ToSummary(Id), activity);
}
