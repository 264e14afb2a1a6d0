using Microsoft.AspNetCore.SignalR;

namespace Portal.Web.Live;

public enum LiveConnectionKind
{
    Portal,
    Staff,
}

/// <summary>
/// One SignalR connection as the node's registry knows it: whose it is and, for a portal page, the link it came
/// through (so revoking the link can close it) and the projects it watches; for a staff connection, the person or API
/// key behind it (so a changed security stamp or a removed key can close it). Mutable parts are guarded by the registry.
/// </summary>
public sealed class LiveConnection(
    HubCallerContext context, LiveConnectionKind kind, Guid companyId, Guid? clientId = null, string? clientName = null,
    Guid? linkId = null, string? linkHash = null, Guid? userId = null, string? keyHash = null)
{
    public HubCallerContext Context { get; } = context;
    public string ConnectionId => Context.ConnectionId;
    public LiveConnectionKind Kind { get; } = kind;
    public Guid CompanyId { get; } = companyId;
    public Guid? ClientId { get; } = clientId;
    public string? ClientName { get; } = clientName;
    public Guid? LinkId { get; } = linkId;
    public string? LinkHash { get; } = linkHash;

    /// <summary>For a staff connection: the signed-in person's account, when a session opened it.</summary>
    public Guid? UserId { get; } = userId;

    /// <summary>For a staff connection: the hash of the API key it proved (directly or through a hub token).</summary>
    public string? KeyHash { get; } = keyHash;

    /// <summary>Watched projects and whether this page counts as the client viewing it (presence).</summary>
    internal Dictionary<Guid, PresenceEntry?> Projects { get; } = [];

    internal bool Closed { get; set; }
}
