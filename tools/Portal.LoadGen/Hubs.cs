using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace Portal.LoadGen;

/// <summary>The portal's change event as the hub sends it (only what the load generator reads).</summary>
public sealed record ProjectChanged(Guid ProjectId, long Version, string[] Parts);

public static class Hubs
{
    public static HubConnection Portal(Uri target, CookieContainer cookies) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(target, "/hubs/portal"), options =>
            {
                options.Cookies = cookies;
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Error))
            .Build();

    /// <summary>Starts connections in batches, printing progress; returns those that started and the failures.</summary>
    public static async Task<(List<HubConnection> Open, int Failed)> OpenInBatchesAsync(
        IReadOnlyList<Func<HubConnection>> factories, int batch, Func<HubConnection, int, Task>? afterStart, string label, CancellationToken cancellationToken)
    {
        var open = new List<HubConnection>(factories.Count);
        var failed = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var first = 0; first < factories.Count; first += batch)
        {
            var indexes = Enumerable.Range(first, Math.Min(batch, factories.Count - first)).ToList();
            var results = await Task.WhenAll(indexes.Select(async index =>
            {
                var connection = factories[index]();
                try
                {
                    await connection.StartAsync(cancellationToken);
                    if (afterStart is not null)
                    {
                        await afterStart(connection, index);
                    }
                    return connection;
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    if (Interlocked.Increment(ref failed) <= 3)
                    {
                        Console.Error.WriteLine($"  {label} {index} failed: {failure.Message}");
                    }
                    await connection.DisposeAsync();
                    return null;
                }
            }));
            open.AddRange(results.OfType<HubConnection>());
            Console.WriteLine($"  {label}: {open.Count}/{factories.Count} open, {failed} failed ({started.Elapsed.TotalSeconds:0.0} s)");
        }
        return (open, failed);
    }

    public static async Task CloseAllAsync(IEnumerable<HubConnection> connections) =>
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());
}
