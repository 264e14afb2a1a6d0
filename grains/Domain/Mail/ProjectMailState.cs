namespace Portal.Domain;

/// <summary>
/// The index of a project's messages: which messages belong to it, each with the summary its message grain first
/// reported. It is stored once per message; later status changes are not stored here (the message grain has them),
/// so the index grain keeps the latest summaries in memory and asks the message grains when it lists.
/// </summary>
public sealed class ProjectMailState
{
    public Dictionary<Guid, MailMessageView> Messages { get; set; } = [];

    /// <summary>Records a message new to the project; returns false (nothing to store) when it is already known.</summary>
    public bool Add(MailMessageView message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Messages.TryAdd(message.Id, message);
    }

    /// <summary>The newer of two summaries of one message (reports can arrive out of order; the revision tells).</summary>
    public static MailMessageView Newer(MailMessageView? a, MailMessageView b) => a is not null && a.Revision >= b.Revision ? a : b;

    /// <summary>Newest first, as staff list them.</summary>
    public static IReadOnlyList<MailMessageView> Order(IEnumerable<MailMessageView> messages) =>
        [.. messages.OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Id)];
}
