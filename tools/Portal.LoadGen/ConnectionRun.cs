using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace Portal.LoadGen;

/// <summary>
/// The connection-count measurement: the portal process's resident memory (VmRSS in <c>/proc/PID/status</c>, the
/// process given by <c>--server-pid</c>) with C portal connections that watch nothing, then with C portal connections
/// each watching a project, reported per connection and as a ratio. The portal serves no diagnostics of its own: RSS
/// is what the operating system says the process holds, including garbage not yet collected and heap the GC keeps
/// after connections close, so read it as an upper bound, and start a fresh portal for figures worth comparing.
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
        var factories = Enumerable.Range(0, options.Connections)
            .Select(i => (Func<HubConnection>)(() => Hubs.Portal(api.Target, projects[i % projectCount].Session))).ToList();

        var bare = await MeasureAsync("portal hub, watching nothing", factories, null, cancellationToken);
        var watching = await MeasureAsync("portal hub, each watching a project", factories,
            (connection, i) => connection.InvokeAsync<long>("Watch", projects[i % projectCount].Project, 0L, true, cancellationToken),
            cancellationToken);

        var ratio = bare.PerConnection <= 0 ? 0 : watching.PerConnection / bare.PerConnection;
        Console.WriteLine();
        Console.WriteLine($"Watching nothing: {bare.Open} connections, RSS +{bare.Delta / 1048576.0:0.0} MiB, {bare.PerConnection / 1024.0:0.0} KiB per connection");
        Console.WriteLine($"Watching:         {watching.Open} connections on {projectCount} projects, RSS +{watching.Delta / 1048576.0:0.0} MiB, {watching.PerConnection / 1024.0:0.0} KiB per connection");
        Console.WriteLine($"Ratio watching / watching nothing per connection: {ratio:0.00}  (RSS: an upper bound, see docs/performance.md)");
        return new JsonObject
        {
            ["mode"] = "connections",
            ["target"] = api.Target.ToString(),
            ["serverPid"] = options.ServerPid,
            ["connections"] = options.Connections,
            ["projects"] = projectCount,
            ["watchingNothing"] = bare.ToJson(),
            ["watching"] = watching.ToJson(),
            ["ratioPerConnection"] = Math.Round(ratio, 3),
            ["memory"] = "VmRSS of the server process from /proc/<pid>/status",
            ["totalSeconds"] = total.Elapsed.TotalSeconds,
        };
    }

    private sealed record Measurement(int Open, int Failed, long Before, long With, long After, double OpenSeconds)
    {
        public long Delta => With - Before;
        public double PerConnection => Open == 0 ? 0 : (double)Delta / Open;

        public JsonObject ToJson() => new()
        {
            ["open"] = Open,
            ["failed"] = Failed,
            ["rssBeforeBytes"] = Before,
            ["rssWithBytes"] = With,
            ["rssAfterCloseBytes"] = After,
            ["bytesPerConnection"] = Math.Round(PerConnection),
            ["openSeconds"] = OpenSeconds,
        };
    }

    private async Task<Measurement> MeasureAsync(string label, List<Func<HubConnection>> factories, Func<HubConnection, int, Task>? afterStart, CancellationToken cancellationToken)
    {
        var before = ResidentBytes();
        var opening = Stopwatch.StartNew();
        Console.WriteLine($"Opening {factories.Count} connections ({label}) …");
        var (open, failed) = await Hubs.OpenInBatchesAsync(factories, options.Batch, afterStart, label, cancellationToken);
        var openSeconds = opening.Elapsed.TotalSeconds;
        // Settling time for the server (a tool measurement, not a test).
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var with = ResidentBytes();
        Console.WriteLine($"  {label}: RSS {before / 1048576.0:0.0} MiB → {with / 1048576.0:0.0} MiB with {open.Count} open");
        await Hubs.CloseAllAsync(open);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        return new Measurement(open.Count, failed, before, with, ResidentBytes(), openSeconds);
    }

    /// <summary>VmRSS of the server process ("VmRSS:   123456 kB").</summary>
    private long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{options.ServerPid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"/proc/{options.ServerPid}/status has no VmRSS line.");
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
    }
}
