namespace Portal.Tests.Functional.Infrastructure;

/// <summary>One portal shared by the tests of a collection; each test creates its own client and project.</summary>
public sealed class PortalHostFixture : IAsyncLifetime
{
    private PortalTestHost? _host;

    public PortalTestHost Host => _host ?? throw new InvalidOperationException("The portal has not started.");

    public async Task InitializeAsync() => _host = await PortalTestHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalHostFixture>
{
    public const string Name = "portal";
}
