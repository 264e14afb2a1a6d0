using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>A project's messages for staff, kept up to date by the message grains (keyed by the project id).</summary>
public sealed class ProjectMailGrain(
    [PersistentState("project-mail", StorageNames.Portal)] IPersistentState<ProjectMailState> state,
    ILogger<ProjectMailGrain> logger)
    : PortalGrain<ProjectMailState>(state, logger), IProjectMailGrain
{
    public async Task Track(MailMessageView message)
    {
        if (State.Track(message))
        {
            await CommitAsync();
        }
    }

    public Task<IReadOnlyList<MailMessageView>> List() => Task.FromResult(State.List());
}
