using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Silo.Configuration;
using Portal.Silo.Hosting;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Live;

namespace Portal.Tests.Functional;

/// <summary>
/// Two web processes in client mode against one silo: each node has its own observers and SignalR groups, with no
/// backplane, and a change made through either reaches pages connected to the other. The cluster runs on the
/// PostgreSQL named by <c>PORTAL_TEST_PG</c> (a schema of its own), or on a SQLite file when none is configured.
/// </summary>
public sealed class TwoWebNodesLiveTests : IAsyncLifetime
{
    private readonly string _root = PortalTestHost.NewDataDirectory();
    private readonly string _cluster = "live-" + Guid.NewGuid().ToString("N")[..12];
    private string? _postgresSchema;
    private Dictionary<string, string?> _database = [];
    private IHost _silo = null!;
    private PortalTestHost _webA = null!;
    private PortalTestHost _webB = null!;

    public async Task InitializeAsync()
    {
        _database = await DatabaseAsync();
        _silo = await StartSiloAsync();
        var web = new Dictionary<string, string?>(_database)
        {
            ["Portal:Orleans:Mode"] = OrleansModes.Client,
            ["Portal:Orleans:ClusterId"] = _cluster,
            ["Portal:Orleans:ServiceId"] = _cluster,
        };
        // One after the other: the first start bootstraps the installation (company, API key) for both.
        _webA = await PortalTestHost.StartAsync(Path.Combine(_root, "a"), web);
        _webB = await PortalTestHost.StartAsync(Path.Combine(_root, "b"), web);
    }

    public async Task DisposeAsync()
    {
        foreach (var web in new[] { _webB, _webA })
        {
            if (web is not null)
            {
                await web.DisposeAsync();
            }
        }
        if (_silo is not null)
        {
            await _silo.StopAsync();
            _silo.Dispose();
        }
        if (_postgresSchema is not null)
        {
            await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable("PORTAL_TEST_PG"));
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_postgresSchema} CASCADE", admin);
            await drop.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_change_made_through_one_web_node_reaches_pages_and_staff_connected_to_the_other()
    {
        var api = _webA.Api;
        var clientId = await api.CreateClientAsync("Jane Smith");
        var (projectId, number) = await api.CreateProjectAsync(clientId);
        var (invoiceId, invoiceNumber) = await api.CreateInvoiceAsync(projectId, 50_000m);
        var url = (await api.SendAsync("invoices", invoiceId)).Str("portalUrl");

        // One page on each node; the staff feed on node B.
        using var browserA = new PortalBrowser(_webA);
        await browserA.EnterAsync(url);
        using var browserB = new PortalBrowser(_webB);
        await browserB.EnterAsync(url);
        await using var pageA = await LivePortalPage.OpenAsync(_webA.BaseUri, browserA.Cookies);
        await using var pageB = await LivePortalPage.OpenAsync(_webB.BaseUri, browserB.Cookies);
        await using var staffB = await LiveStaffFeed.OpenAsync(_webB.BaseUri, PortalTestHost.ApiKey);
        var version = await api.ProjectVersionAsync(projectId);
        Assert.Equal(version, await pageA.WatchAsync(projectId, version));
        Assert.Equal(version, await pageB.WatchAsync(projectId, version));

        // Each node observes the project itself.
        Assert.Equal(1, _webA.Services.GetRequiredService<LiveRegistry>().WatchersOf(projectId));
        Assert.Equal(1, _webB.Services.GetRequiredService<LiveRegistry>().WatchersOf(projectId));
        Assert.NotEqual(_webA.Services.GetRequiredService<LiveRegistry>().NodeId, _webB.Services.GetRequiredService<LiveRegistry>().NodeId);

        // Paid through A: B's page and B's staff feed hear of it.
        await api.PayAsync(invoiceId, 500m);
        var afterA = await api.ProjectVersionAsync(projectId);
        Assert.Equal(afterA, (await pageB.UntilVersionAsync(afterA))[^1].Version);
        Assert.Equal(afterA, (await pageA.UntilVersionAsync(afterA))[^1].Version);
        var paid = await staffB.NextItemAsync(i => i.ProjectId == projectId && i.Verb == "paid");
        Assert.Equal($"Jane Smith paid £500.00 on {invoiceNumber} (Project #{number})", paid.Text);

        // A booking made through B reaches A's page.
        var startsAt = DateTimeOffset.UtcNow.AddDays(2);
        await _webB.Api.PostOkAsync($"/api/projects/{projectId}/events", new { name = "Survey", startsAt, endsAt = startsAt.AddHours(1) });
        var afterB = await _webB.Api.ProjectVersionAsync(projectId);
        var onA = await pageA.UntilVersionAsync(afterB);
        Assert.Contains("bookings", onA[^1].Parts);

        // Presence from A's page shows on B's staff feed.
        var viewing = await staffB.Connection.InvokeAsync<FeedSnapshotMessage>("Snapshot");
        Assert.Contains(viewing.Presence, p => p.ProjectId == projectId && p.ClientName == "Jane Smith");
    }

    private async Task<Dictionary<string, string?>> DatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable("PORTAL_TEST_PG");
        if (string.IsNullOrWhiteSpace(server) || Environment.GetEnvironmentVariable("PORTAL_SKIP_POSTGRES") == "1")
        {
            return new()
            {
                ["Portal:Database:Provider"] = DatabaseProviders.Sqlite,
                ["Portal:Database:ConnectionString"] = $"Data Source={Path.Combine(_root, "cluster.db")}",
            };
        }
        _postgresSchema = "t_live_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {_postgresSchema}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new()
        {
            ["Portal:Database:Provider"] = DatabaseProviders.Postgres,
            ["Portal:Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(server) { SearchPath = _postgresSchema }.ConnectionString,
        };
    }

    private Task<IHost> StartSiloAsync() => FreePorts.StartHostAsync(2, ports =>
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(_database)
        {
            ["Portal:DataDirectory"] = Path.Combine(_root, "silo"),
            ["Portal:Database:MigrateOnStart"] = "true",
            ["Portal:Orleans:ClusterId"] = _cluster,
            ["Portal:Orleans:ServiceId"] = _cluster,
            ["Portal:Orleans:SiloPort"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Portal:Orleans:GatewayPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Portal:Orleans:AdvertisedAddress"] = "127.0.0.1",
        });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        var options = builder.AddPortalOptions();
        options.Orleans.Mode = OrleansModes.Silo;
        builder.Services.AddPortalDatabase(options);
        builder.UseOrleans(silo => silo.AddPortalSilo(options));
        return builder.Build();
    });
}
