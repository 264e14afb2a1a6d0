using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portal.Silo.Hosting;

/// <summary>
/// Readiness of an Orleans client: false while it is still retrying its first connection or has lost every
/// gateway, true once the host finished starting (the client connected) and while gateways remain.
/// </summary>
internal sealed class ClusterClientReadiness(ILogger<ClusterClientReadiness> logger)
    : IClusterReadiness, IClusterConnectionStatusObserver, IHostedLifecycleService
{
    private volatile bool _connected;

    public bool IsConnected => _connected;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        _connected = currentNumberOfGateways > 0;
        logger.LogInformation("Cluster gateways: {Previous} -> {Current}", previousNumberOfGateways, currentNumberOfGateways);
    }

    public void NotifyClusterConnectionLost()
    {
        _connected = false;
        logger.LogWarning("Lost the connection to the Orleans cluster; reporting not ready until it recovers");
    }

    // StartedAsync runs after every hosted service started, the Orleans client included, i.e. once it connected.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _connected = true;
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _connected = false;
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
