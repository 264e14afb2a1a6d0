using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Portal.Web.ClientPortal;

namespace Portal.Web.Live;

/// <summary>
/// <c>/hubs/portal</c>: open portal pages watch their project here. The connection carries the client's portal
/// session (cookie), and may watch only that client's projects; any other id answers like an unknown one.
/// </summary>
[Authorize(Policy = ClientSession.Policy)]
public sealed class PortalHub(LiveRegistry registry, IGrainFactory grains) : Hub
{
    private const string ConnectionKey = "live";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        var connection = new LiveConnection(
            Context, LiveConnectionKind.Portal, user.CompanyId(), user.ClientId(), user.FindFirstValue(ClaimTypes.Name),
            user.LinkId(), user.LinkHash());
        Context.Items[ConnectionKey] = connection;
        await registry.ConnectAsync(connection);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await registry.DisconnectAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>
    /// Starts pushing the project's changes to this connection and returns its current version: a page that
    /// rendered an older one refetches. <paramref name="presence"/> says the page shows the project itself (staff
    /// see "Jane Smith is viewing Project #N now"), as opposed to a list that mentions it.
    /// </summary>
    public async Task<long> Watch(Guid projectId, long lastSeenVersion, bool presence = true)
    {
        var connection = Connection;
        ProjectView? project = null;
        try
        {
            project = await grains.GetGrain<IProjectGrain>(projectId).Get();
        }
        catch (PortalRuleViolation rule) when (rule.Kind == RuleKind.NotFound)
        {
        }
        if (project is null || project.ClientId != connection.ClientId || project.CompanyId != connection.CompanyId)
        {
            throw new HubException("There is no such project.");
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Project(projectId));
        return await registry.WatchProjectAsync(connection, project, presence);
    }

    public async Task Unwatch(Guid projectId)
    {
        await registry.UnwatchProjectAsync(Connection, projectId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroups.Project(projectId));
    }

    /// <summary>A plain round trip, the load generator's baseline.</summary>
    public string Echo(string payload) => payload;

    private LiveConnection Connection => (LiveConnection)Context.Items[ConnectionKey]!;
}
