using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Portal.Silo.Configuration;
using Portal.Silo.Storage;

namespace Portal.Silo.Hosting;

public static partial class PortalHosting
{
    private static void AddPortalClusterClient(this IHostApplicationBuilder builder, PortalOptions options)
    {
        var database = PortalDatabase.FromOptions(options);
        builder.Services.TryAddSingleton<ClusterClientReadiness>();
        builder.Services.TryAddSingleton<IClusterReadiness>(sp => sp.GetRequiredService<ClusterClientReadiness>());
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ClusterClientReadiness>());

        // The client keeps retrying inside its hosted service's start; starting services concurrently lets the web
        // server come up meanwhile and answer /health/ready with "not ready" instead of refusing connections.
        builder.Services.Configure<HostOptions>(host => host.ServicesStartConcurrently = true);

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.Orleans.ClusterId;
                cluster.ServiceId = options.Orleans.ServiceId;
            });
            client.UseAdoNetClustering(clustering =>
            {
                clustering.Invariant = database.Invariant;
                clustering.ConnectionString = database.ConnectionString;
            });
            client.UseConnectionRetryFilter<RetryUntilClusterIsUp>();
        });

        // After UseOrleansClient so its lifecycle callbacks see the client's start complete.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterClientReadiness>());
    }
}
