using System.Diagnostics;

namespace Portal.Bench;

/// <summary>Writes per second and latency percentiles of one step (one path at one concurrency).</summary>
public sealed record Measurement(string Path, int Callers, long Writes, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double WritesPerSecond => Writes / Elapsed.TotalSeconds;

    /// <summary>
    /// Runs <paramref name="callers"/> loops, each calling its own operation back to back, first for the warm-up
    /// (not counted: JIT, pools, prepared statements, activations) and then for the measured duration.
    /// </summary>
    public static async Task<Measurement> RunAsync(string path, int callers, Func<int, Func<Task>> operationFor, TimeSpan warmUp, TimeSpan duration)
    {
        var operations = Enumerable.Range(0, callers).Select(operationFor).ToArray();
        await RunLoopsAsync(operations, warmUp, record: false);
        var started = Stopwatch.StartNew();
        var latencies = await RunLoopsAsync(operations, duration, record: true);
        var elapsed = started.Elapsed;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Measurement(path, callers, all.Length, elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    /// <summary>The round with the median throughput.</summary>
    public static Measurement Median(IReadOnlyList<Measurement> rounds) =>
        rounds.OrderBy(r => r.WritesPerSecond).ElementAt(rounds.Count / 2);

    private static async Task<List<long>[]> RunLoopsAsync(Func<Task>[] operations, TimeSpan duration, bool record)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = operations.Select(operation => Task.Run(async () =>
        {
            var latencies = new List<long>(4096);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                await operation();
                if (record)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - start);
                }
            }

            return latencies;
        }));
        return await Task.WhenAll(loops);
    }

    private static double Percentile(long[] sorted, double quantile)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var index = (int)Math.Ceiling(quantile * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
