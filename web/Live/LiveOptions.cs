namespace Portal.Web.Live;

/// <summary>The <c>Portal:Live</c> section: how often a web node refreshes what it watches.</summary>
public sealed class LiveOptions
{
    public const string Section = "Portal:Live";

    /// <summary>
    /// How often the node renews its grain subscriptions (grains drop a watcher after 5 minutes), re-reports its
    /// presence and re-checks the links its portal pages came through. Default: one minute.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many projects one portal connection may watch at once (a page watches its project; All Projects watches
    /// the client's list). A connection asking for more is refused, so one page cannot make a node hold unbounded
    /// subscriptions. Default: 200.
    /// </summary>
    public int MaxWatchesPerConnection { get; set; } = 200;

    /// <summary>
    /// How long a staff hub access token (<c>POST /api/live/token</c>) opens connections. A connection outlives its
    /// token; reconnecting needs a fresh one. Default: five minutes.
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
