namespace Portal.Domain;

/// <summary>
/// A grain state that stores the audit entries its changes owe the company audit log, in the same write as the
/// change, and keeps them until the log has them (see <see cref="Grains.AuditingGrain{TState}"/>).
/// </summary>
public interface IOwesAudit
{
    List<AuditRecord> PendingAudit { get; set; }
}

public static class AuditDebt
{
    /// <summary>Adds an entry the change about to be stored owes; <paramref name="by"/> is who made the change.</summary>
    public static AuditRecord Owe(this IOwesAudit state, Guid companyId, string action, string detail, Actor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        var record = new AuditRecord(Guid.NewGuid(), companyId, action, detail ?? "", by ?? Actor.System, at);
        state.PendingAudit.Add(record);
        return record;
    }
}
