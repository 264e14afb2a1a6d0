namespace Portal.Domain;

/// <summary>The index of a project's messages: the latest summary of each, as its message grain reported it.</summary>
public sealed class ProjectMailState
{
    public Dictionary<Guid, MailMessageView> Messages { get; set; } = [];

    /// <summary>Keeps the newer summary; returns false when nothing changed (a repeat or an older report).</summary>
    public bool Track(MailMessageView message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Messages.TryGetValue(message.Id, out var known) && !IsNewer(message, known))
        {
            return false;
        }
        Messages[message.Id] = message;
        return true;
    }

    public IReadOnlyList<MailMessageView> List() =>
        [.. Messages.Values.OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Id)];

    // Reports can arrive out of order (a retry of an older one); the revision tells which is newer.
    private static bool IsNewer(MailMessageView candidate, MailMessageView known) => candidate.Revision > known.Revision;
}
