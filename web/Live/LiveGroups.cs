namespace Portal.Web.Live;

/// <summary>SignalR group names and client method names; live.js and the load generator use the same strings.</summary>
public static class LiveGroups
{
    public static string Project(Guid projectId) => "project:" + projectId.ToString("N");

    public static string Staff(Guid companyId) => "staff:" + companyId.ToString("N");

    public const string ProjectChangedMethod = "projectChanged";
    public const string AccessWithdrawnMethod = "accessWithdrawn";
    public const string FeedItemMethod = "feedItem";
    public const string PresenceMethod = "presence";
    /// <summary>On the staff hub: the session or key behind the connection ended; the connection closes next.</summary>
    public const string SessionEndedMethod = "sessionEnded";
}
