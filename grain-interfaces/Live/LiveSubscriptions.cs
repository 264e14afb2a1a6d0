namespace Portal;

/// <summary>
/// How long a grain keeps a web node's observer (and presence report) without a renewal. Grains and web nodes both
/// read these: a node must renew well within <see cref="ObserverExpiry"/> (its refresh interval is validated
/// against it at start-up).
/// </summary>
public static class LiveSubscriptions
{
    /// <summary>A node that stops renewing (it died) is dropped by the project and feed grains after this.</summary>
    public static readonly TimeSpan ObserverExpiry = TimeSpan.FromMinutes(5);

    /// <summary>A node that stops reporting its viewers is forgotten by the feed grain after this.</summary>
    public static readonly TimeSpan PresenceExpiry = TimeSpan.FromMinutes(3);
}
