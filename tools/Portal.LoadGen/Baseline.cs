using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;

namespace Portal.LoadGen;

/// <summary>
/// What a push is compared with, measured in the same run: an HTTP round trip, an HTTP request that makes one
/// durable write (a booking on a project nobody watches), and a plain SignalR echo round trip.
/// </summary>
public sealed record Baseline(Summary Http, Summary Write, Summary Echo)
{
    public static async Task<Baseline> MeasureAsync(PortalApi api, HubConnection connection, int samples, Guid anyProject, CancellationToken cancellationToken)
    {
        var project = await api.GetAsync($"/api/projects/{anyProject}", cancellationToken);
        var clientId = project["clientId"]!.GetValue<string>();
        var quiet = (await api.PostAsync("/api/projects", new { clientId, title = "Baseline (not watched)" }, cancellationToken))["id"]!.GetValue<string>();

        var http = new Latencies();
        var write = new Latencies();
        var echo = new Latencies();
        for (var i = 0; i < 20; i++)
        {
            await api.SendAsync(HttpMethod.Get, "/health/live", null, cancellationToken);
            await connection.InvokeAsync<string>("Echo", "warm", cancellationToken);
        }
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await api.SendAsync(HttpMethod.Get, "/health/live", null, cancellationToken);
            http.Add(Latencies.Since(started));
        }
        // Each write grows the project's state a little, so fewer of these.
        for (var i = 0; i < Math.Min(samples, 200); i++)
        {
            var startsAt = DateTimeOffset.UtcNow.AddDays(1);
            var started = Stopwatch.GetTimestamp();
            var status = await api.SendAsync(HttpMethod.Post, $"/api/projects/{quiet}/events", new { name = "Baseline", startsAt, endsAt = startsAt.AddHours(1) }, cancellationToken);
            write.Add(Latencies.Since(started));
            if ((int)status != 201)
            {
                throw new InvalidOperationException($"The baseline write answered {(int)status}.");
            }
        }
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await connection.InvokeAsync<string>("Echo", "x", cancellationToken);
            echo.Add(Latencies.Since(started));
        }
        return new Baseline(http.Summarise(), write.Summarise(), echo.Summarise());
    }

    /// <summary>Echo round trips at a steady pace while the load runs, to see what the load does to a plain round trip.</summary>
    public static async Task EchoLoopAsync(HubConnection connection, Latencies into, TimeSpan every, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await connection.InvokeAsync<string>("Echo", "x", cancellationToken);
                into.Add(Latencies.Since(started));
                await Task.Delay(every, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
