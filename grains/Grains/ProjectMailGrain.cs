using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>
/// A project's messages for staff (keyed by the project id). Only membership is durable: a message is stored here
/// once, when its grain first reports it (right after enqueueing). Status changes after that only refresh an
/// in-memory copy; <see cref="List"/> asks the message grains for any message not known to be finished (after a
/// restart, or if a report was lost), so what staff see is always what the message grains stored.
/// </summary>
public sealed class ProjectMailGrain(
    [PersistentState("project-mail", StorageNames.Portal)] IPersistentState<ProjectMailState> state,
    ILogger<ProjectMailGrain> logger)
    : PortalGrain<ProjectMailState>(state, logger), IProjectMailGrain
{
    // The latest summary reported or read per message; Sent and Failed never change again.
    private readonly Dictionary<Guid, MailMessageView> _latest = [];

    public async Task Track(MailMessageView message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (State.Add(message))
        {
            await CommitAsync();
        }
        Remember(message);
    }

    public async Task<IReadOnlyList<MailMessageView>> List()
    {
        var known = State.Messages.Values.Select(stored => _latest.TryGetValue(stored.Id, out var latest) ? ProjectMailState.Newer(latest, stored) : stored).ToList();
        var unfinished = known.Where(m => m.Status is not (MailStatus.Sent or MailStatus.Failed)).ToList();
        if (unfinished.Count > 0)
        {
            // Get interleaves on the message grain, so a message busy telling this grain about a change still answers.
            var fresh = await Task.WhenAll(unfinished.Select(ReadAsync));
            foreach (var view in fresh)
            {
                Remember(view);
            }
            known = [.. known.Select(m => _latest.TryGetValue(m.Id, out var latest) ? ProjectMailState.Newer(latest, m) : m)];
        }
        return ProjectMailState.Order(known);
    }

    private void Remember(MailMessageView message) =>
        _latest[message.Id] = ProjectMailState.Newer(_latest.GetValueOrDefault(message.Id), message);

    private async Task<MailMessageView> ReadAsync(MailMessageView known)
    {
        try
        {
            return await GrainFactory.GetGrain<IMailMessageGrain>(known.Id).Get();
        }
        catch (Exception failure)
        {
            Logger.LogWarning(failure, "Could not read message {MessageId} for project {ProjectId}; listing its last known status", known.Id, this.GetPrimaryKey());
            return known;
        }
    }
}
