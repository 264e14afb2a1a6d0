using System.Diagnostics.Metrics;

namespace Portal.Web.Live;

/// <summary>
/// The live layer's instruments on the <c>Portal.Live</c> meter (read them with <c>dotnet-counters monitor
/// --counters Portal.Live</c>, an OpenTelemetry exporter, or a <see cref="MeterListener"/> in tests). Counts are
/// tagged <c>kind</c>: <c>project</c> or <c>feed</c> for subscriptions, <c>portal</c> or <c>staff</c> for connections.
/// </summary>
public sealed class LiveMetrics
{
    public const string MeterName = "Portal.Live";
    public const string Subscribes = "portal.live.subscribes";
    public const string Unsubscribes = "portal.live.unsubscribes";
    public const string Subscriptions = "portal.live.subscriptions";
    public const string Connections = "portal.live.connections";
    public const string EventsRelayed = "portal.live.events_relayed";

    private readonly Counter<long> _subscribes;
    private readonly Counter<long> _unsubscribes;
    private readonly UpDownCounter<long> _subscriptions;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _eventsRelayed;

    public LiveMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _subscribes = meter.CreateCounter<long>(Subscribes, "{subscription}", "Grain subscriptions this node made (first watcher on this node, or a retry).");
        _unsubscribes = meter.CreateCounter<long>(Unsubscribes, "{subscription}", "Grain subscriptions this node ended (last watcher on this node left).");
        _subscriptions = meter.CreateUpDownCounter<long>(Subscriptions, "{subscription}", "Projects and company feeds this node watches now.");
        _connections = meter.CreateUpDownCounter<long>(Connections, "{connection}", "Open SignalR connections on this node.");
        _eventsRelayed = meter.CreateCounter<long>(EventsRelayed, "{event}", "Project changes relayed to this node's pages (each once, however many pages watch).");
    }

    internal void Subscribed(string kind) => _subscribes.Add(1, Kind(kind));

    internal void Unsubscribed(string kind) => _unsubscribes.Add(1, Kind(kind));

    internal void Watching(string kind, int delta) => _subscriptions.Add(delta, Kind(kind));

    internal void Connected(LiveConnectionKind kind, int delta) =>
        _connections.Add(delta, Kind(kind == LiveConnectionKind.Portal ? "portal" : "staff"));

    internal void Relayed() => _eventsRelayed.Add(1);

    private static KeyValuePair<string, object?> Kind(string kind) => new("kind", kind);
}

/// <summary>The <c>kind</c> of a node subscription, in logs and on the <c>Portal.Live</c> meter.</summary>
public static class LiveKinds
{
    public const string Project = "project";
    public const string Feed = "feed";
}
