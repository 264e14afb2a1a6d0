using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Portal.Tests;

/// <summary>
/// One in-process silo for all grain tests: memory storage named "portal" that serializes with
/// <see cref="StateJson.Options"/>, in-memory reminders, and a <see cref="TestClock"/> the grains read time from.
/// </summary>
public sealed class PortalClusterFixture : IAsyncLifetime
{
    public TestClock Clock { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Portal, options => options.GrainStorageSerializer = new StateJsonGrainStorageSerializer());
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<TimeProvider>(Clock);
            // Only grains read the test clock; membership and other silo housekeeping stay on real time.
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<PortalClusterFixture>
{
    public const string Name = "Portal cluster";
}
