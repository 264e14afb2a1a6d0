namespace Portal.Domain;

/// <summary>One outbox shard: the ids of messages that may still need delivering (a superset: finished ones linger until the next write).</summary>
public sealed class MailOutboxState
{
    public List<Guid> Pending { get; set; } = [];
}
