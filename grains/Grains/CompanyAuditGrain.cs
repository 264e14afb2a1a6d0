using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>One company's hash-chained audit log of team, settings and API key changes.</summary>
public sealed class CompanyAuditGrain(
    [PersistentState("companyaudit", StorageNames.Portal)] IPersistentState<CompanyAuditState> state,
    ILogger<CompanyAuditGrain> logger)
    : PortalGrain<CompanyAuditState>(state, logger), ICompanyAuditGrain
{
    public async Task Record(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (State.Record(record.Id, record.Action, record.Detail, record.By, record.At))
        {
            await CommitAsync();
        }
    }

    public Task<CompanyAuditView> Get() => Task.FromResult(State.ToView());
}
