using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace Portal.LoadGen;

/// <summary>
/// The connection-count measurement: the server's GC heap (after a full collection, read from
/// <c>/api/live/node?gc=true</c>) with C idle connections on the empty echo hub, then with C portal connections
/// each watching a project, reported per connection and as a ratio.
/// </summary>
public sealed class ConnectionRun(LoadOptions options, PortalApi api)
{
    public async Task<JsonObject> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var projectCount = Math.Min(options.Projects, options.Connections);
        Console.WriteLine($"Creating {projectCount} projects and portal sessions …");
        var projects = new (Guid Project, CookieContainer Session)[projectCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, projectCount), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var clientId = Guid.Parse((await api.PostAsync("/api/clients", new { name = $"Load Client {i + 1}", email = $"conn{i + 1}.{Guid.NewGuid():N}@example.com" }, ct))["id"]!.GetValue<string>());
            var projectId = Guid.Parse((await api.PostAsync("/api/projects", new { clientId, title = $"Connections {i + 1}" }, ct))["id"]!.GetValue<string>());
            projects[i] = (projectId, await api.OpenPortalSessionAsync(clientId, ct));
        });

        var empty = await MeasureAsync("empty hub", Enumerable.Range(0, options.Connections)
            .Select(_ => (Func<HubConnection>)(() => Hubs.Echo(api.Target, options.ApiKey))).ToList(), null, cancellationToken);

        var portal = await MeasureAsync("portal hub", Enumerable.Range(0, options.Connections)
            .Select(i => (Func<HubConnection>)(() => Hubs.Portal(api.Target, projects[i % projectCount].Session))).ToList(),
            (connection, i) => connection.InvokeAsync<long>("Watch", projects[i % projectCount].Project, 0L, true, cancellationToken),
            cancellationToken);

        var ratio = empty.PerConnection <= 0 ? 0 : portal.PerConnection / empty.PerConnection;
        Console.WriteLine();
        Console.WriteLine($"Empty hub:  {empty.Open} connections, GC heap +{empty.Delta / 1048576.0:0.0} MiB, {empty.PerConnection / 1024.0:0.0} KiB per connection");
        Console.WriteLine($"Portal hub: {portal.Open} connections watching {projectCount} projects, GC heap +{portal.Delta / 1048576.0:0.0} MiB, {portal.PerConnection / 1024.0:0.0} KiB per connection");
        Console.WriteLine($"Ratio portal / empty per connection: {ratio:0.00}  (target ≤ 1.5)");
        return new JsonObject
        {
            ["mode"] = "connections",
            ["target"] = api.Target.ToString(),
            ["connections"] = options.Connections,
            ["projects"] = projectCount,
            ["emptyHub"] = empty.ToJson(),
            ["portalHub"] = portal.ToJson(),
            ["ratioPerConnection"] = Math.Round(ratio, 3),
            ["target"] = "GC heap per portal connection <= 1.5 x an empty hub's",
            ["totalSeconds"] = total.Elapsed.TotalSeconds,
        };
    }

    private sealed record Measurement(int Open, int Failed, long Before, long With, long After, double OpenSeconds, JsonNode Stats)
    {
        public long Delta => With - Before;
        public double PerConnection => Open == 0 ? 0 : (double)Delta / Open;

        public JsonObject ToJson() => new()
        {
            ["open"] = Open,
            ["failed"] = Failed,
            ["gcHeapBeforeBytes"] = Before,
            ["gcHeapWithBytes"] = With,
            ["gcHeapAfterCloseBytes"] = After,
            ["bytesPerConnection"] = Math.Round(PerConnection),
            ["openSeconds"] = OpenSeconds,
            ["serverWithConnections"] = Stats.DeepClone(),
        };
    }

    private async Task<Measurement> MeasureAsync(string label, List<Func<HubConnection>> factories, Func<HubConnection, int, Task>? afterStart, CancellationToken cancellationToken)
    {
        var before = await HeapAsync(cancellationToken);
        var opening = Stopwatch.StartNew();
        Console.WriteLine($"Opening {factories.Count} connections to the {label} …");
        var (open, failed) = await Hubs.OpenInBatchesAsync(factories, options.Batch, afterStart, label, cancellationToken);
        var openSeconds = opening.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var stats = await api.NodeStatsAsync(collect: true, cancellationToken);
        var with = stats["gcHeapBytes"]!.GetValue<long>();
        Console.WriteLine($"  {label}: GC heap {before / 1048576.0:0.0} MiB → {with / 1048576.0:0.0} MiB with {open.Count} open");
        await Hubs.CloseAllAsync(open);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var after = await HeapAsync(cancellationToken);
        return new Measurement(open.Count, failed, before, with, after, openSeconds, stats);
    }

    private async Task<long> HeapAsync(CancellationToken cancellationToken) =>
        (await api.NodeStatsAsync(collect: true, cancellationToken))["gcHeapBytes"]!.GetValue<long>();
}
