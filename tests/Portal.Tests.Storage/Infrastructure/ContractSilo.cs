using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Silo.Configuration;
using Portal.Silo.Hosting;
using Portal.Silo.Storage;

namespace Portal.Tests.Storage.Infrastructure;

/// <summary>
/// One silo per engine, composed by <see cref="PortalHosting.AddPortalSilo"/> on a fresh database (so it also
/// proves migrations run before the providers start), plus two extra grain storages the contract needs.
/// </summary>
public abstract class ContractSilo<TEngine> : IAsyncLifetime where TEngine : ITestEngine, new()
{
    /// <summary>Same table as "portal", but Clear keeps the row (DeleteStateOnClear=false).</summary>
    public const string KeepOnClearStorage = "keep-on-clear";

    /// <summary>Same table, every hash forced to one constant.</summary>
    public const string CollidingStorage = "colliding";

    private IHost? _host;
    private TestDatabase? _database;
    private string? _dataDirectory;

    public TEngine Engine { get; } = new();

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not started.");

    public PortalOptions Options { get; private set; } = new();

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _database = await Engine.CreateDatabaseAsync("contract");
        _dataDirectory = Path.Combine(Path.GetTempPath(), "portal-tests", "data-" + Guid.NewGuid().ToString("N"));
        Options = _database.HostOptions(_dataDirectory);
        Options.Database.MigrateOnStart = true;
        var database = _database.Database;

        // The silo must be told its ports; a start that lost one to another process is made again on fresh ones.
        _host = await FreePorts.StartHostAsync(2, ports =>
        {
            Options.Orleans.SiloPort = ports[0];
            Options.Orleans.GatewayPort = ports[1];
            return Build(database);
        });
    }

    private IHost Build(PortalDatabase database)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.AddPortalSilo(Options);
            silo.AddAdoNetGrainStorage(KeepOnClearStorage, storage =>
            {
                storage.Invariant = database.Invariant;
                storage.ConnectionString = database.ConnectionString;
                storage.GrainStorageSerializer = new PortalGrainStateSerializer();
                storage.DeleteStateOnClear = false;
            });
            silo.AddAdoNetGrainStorage(CollidingStorage, storage =>
            {
                storage.Invariant = database.Invariant;
                storage.ConnectionString = database.ConnectionString;
                storage.GrainStorageSerializer = new PortalGrainStateSerializer();
                storage.HashPicker = new ConstantHashPicker();
            });
        });
        return builder.Build();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class SqliteContractSilo : ContractSilo<SqliteTestEngine>;

public sealed class PostgresContractSilo : ContractSilo<PostgresTestEngine>;
