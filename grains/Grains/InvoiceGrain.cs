using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

public sealed class InvoiceGrain(
    [PersistentState("invoice", StorageNames.Portal)] IPersistentState<InvoiceState> state,
    ILogger<InvoiceGrain> logger)
    : PortalGrain<InvoiceState>(state, logger), IInvoiceGrain
{
    private Guid Id => this.GetPrimaryKey();

    public async Task<InvoiceView> Create(CreateInvoice command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (State.Created)
        {
            throw new PortalRuleViolation("invoice.exists", "This invoice already exists.");
        }
        await ProjectGuard.EnsureOpenProjectAsync(GrainFactory, command.ProjectId, command.CompanyId, command.ClientId);

        State.Create(command, Now);
        await CommitAsync();
        var project = GrainFactory.GetGrain<IProjectGrain>(State.ProjectId);
        await NotifyAsync("attach the invoice to its project", () => project.AttachInvoice(State.ToSummary(Id)));
        return State.ToView(Id);
    }

    public Task<InvoiceView> Get() => Task.FromResult(State.ToView(Id));

    public Task<bool> Exists() => Task.FromResult(State.Created);

    public async Task<InvoiceView> Send()
    {
        State.Send(Now);
        await CommitAsync();
        return await PublishAsync();
    }

    public async Task<InvoiceView> MarkViewed(Actor viewer)
    {
        if (!State.MarkViewed(viewer, Now))
        {
            return State.ToView(Id);
        }
        await CommitAsync();
        return await PublishAsync();
    }

    public async Task<InvoiceView> RecordManualPayment(RecordManualPayment command)
    {
        if (!State.RecordManualPayment(command, Now))
        {
            return State.ToView(Id);
        }
        await CommitAsync();
        return await PublishAsync();
    }

    public async Task<InvoiceView> Void()
    {
        State.Void(Now);
        await CommitAsync();
        return await PublishAsync();
    }

    private async Task<InvoiceView> PublishAsync()
    {
        var project = GrainFactory.GetGrain<IProjectGrain>(State.ProjectId);
        await NotifyAsync("update the invoice on its project", () => project.UpdateInvoice(State.ToSummary(Id)));
        return State.ToView(Id);
    }
}
