namespace Portal.LoadGen;

/// <summary>Latency samples in milliseconds; thread-safe to add to, summarised once at the end.</summary>
public sealed class Latencies
{
    private readonly List<double> _samples = [];
    private readonly Lock _gate = new();

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _samples.Add(milliseconds);
        }
    }

    public Summary Summarise()
    {
        double[] sorted;
        lock (_gate)
        {
            sorted = [.. _samples];
        }
        Array.Sort(sorted);
        return sorted.Length == 0
            ? new Summary(0, 0, 0, 0, 0, 0)
            : new Summary(sorted.Length, At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99), sorted[^1], sorted.Average());
    }

    private static double At(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static double Since(long timestamp) => System.Diagnostics.Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds;
}

public sealed record Summary(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public override string ToString() =>
        Count == 0 ? "no samples" : $"p50 {P50:0.00} ms  p90 {P90:0.00} ms  p99 {P99:0.00} ms  max {Max:0.00} ms  (n={Count})";
}
