using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Silo.Storage;
using Portal.Web.Bootstrap;

namespace Portal.Web.Hosting;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Live: the process answers. Ready: the cluster and the database answer and first-start set-up is done.
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" }));
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsJsonAsync(new
                {
                    status = report.Status == HealthStatus.Healthy ? "ready" : "not_ready",
                    checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Description ?? e.Value.Status.ToString()),
                });
            },
        });
        return app;
    }
}

/// <summary>
/// Ready when a grain call and a database round trip both succeed and the first-start set-up finished. The answer
/// says which part is not ready in fixed words; what went wrong (exception text, host names) goes to the log only.
/// </summary>
public sealed class ReadinessCheck(IGrainFactory grains, IDatabaseProbe database, BootstrapState bootstrap, ILogger<ReadinessCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!bootstrap.Completed)
        {
            return HealthCheckResult.Unhealthy(bootstrap.LastError is null ? "Starting up." : "Start-up set-up is retrying.");
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            if (!await database.PingAsync(timeout.Token))
            {
                return HealthCheckResult.Unhealthy("The database does not answer.");
            }
            await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).Get().WaitAsync(timeout.Token);
            return HealthCheckResult.Healthy("Cluster and database answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Not ready: the cluster or the database did not answer");
            return HealthCheckResult.Unhealthy("The cluster or the database does not answer.");
        }
    }
}
