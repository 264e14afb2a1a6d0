namespace Portal.Silo.Hosting;

/// <summary>A process hosting a silo is connected from the moment its silo is active until it starts stopping.</summary>
internal sealed class SiloReadiness : IClusterReadiness, ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _active;

    public bool IsConnected => _active;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(SiloReadiness),
            ServiceLifecycleStage.Active,
            _ =>
            {
                _active = true;
                return Task.CompletedTask;
            },
            _ =>
            {
                _active = false;
                return Task.CompletedTask;
            });
}
