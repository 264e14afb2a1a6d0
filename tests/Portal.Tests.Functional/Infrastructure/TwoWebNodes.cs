using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Silo.Configuration;
using Portal.Silo.Hosting;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>
/// Two web processes in client mode against one silo, each with a data directory of its own. The cluster runs on
/// the PostgreSQL named by <c>PORTAL_TEST_PG</c> (a schema of its own), or on a SQLite file when none is configured.
/// </summary>
public sealed class TwoWebNodes : IAsyncDisposable
{
    private readonly string _root = PortalTestHost.NewDataDirectory();
    private readonly string _cluster = "two-" + Guid.NewGuid().ToString("N")[..12];
    private string? _postgresSchema;
    private Dictionary<string, string?> _database = [];
    private Dictionary<string, string?> _web = [];
    private IHost? _silo;

    private TwoWebNodes()
    {
    }

    public PortalTestHost A { get; private set; } = null!;
    public PortalTestHost B { get; private set; } = null!;

    /// <summary>Starts the silo, then node A, then node B (the first start bootstraps the installation for both).</summary>
    public static async Task<TwoWebNodes> StartAsync(IDictionary<string, string?>? webSettings = null)
    {
        var nodes = new TwoWebNodes();
        try
        {
            nodes._database = await nodes.DatabaseAsync();
            nodes._silo = await nodes.StartSiloAsync();
            nodes._web = new Dictionary<string, string?>(nodes._database)
            {
                ["Portal:Orleans:Mode"] = OrleansModes.Client,
                ["Portal:Orleans:ClusterId"] = nodes._cluster,
                ["Portal:Orleans:ServiceId"] = nodes._cluster,
            };
            foreach (var (key, value) in webSettings ?? new Dictionary<string, string?>())
            {
                nodes._web[key] = value;
            }
            nodes.A = await PortalTestHost.StartAsync(Path.Combine(nodes._root, "a"), nodes._web);
            nodes.B = await PortalTestHost.StartAsync(Path.Combine(nodes._root, "b"), nodes._web);
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops node A and starts it again on the same data directory and settings (on a new HTTP port).</summary>
    public async Task RestartAAsync()
    {
        await A.DisposeAsync();
        A = null!;
        A = await PortalTestHost.StartAsync(Path.Combine(_root, "a"), _web);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var web in new[] { B, A })
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
        _postgresSchema = "t_two_" + Guid.NewGuid().ToString("N");
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
