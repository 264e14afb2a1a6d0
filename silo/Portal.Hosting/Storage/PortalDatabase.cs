using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portal.Silo.Configuration;

namespace Portal.Silo.Storage;

/// <summary>
/// The one portal database: which engine, the normalised connection string, and the ADO.NET invariant the Orleans
/// providers need for it. Everything that talks to the database (Orleans providers, migrator, file store, probe)
/// gets its connection from here so they all agree.
/// </summary>
public sealed class PortalDatabase
{
    /// <summary>Invariant of the SQLite driver. Orleans 10.4.2 maps it to Microsoft.Data.Sqlite (see the contract doc).</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    public const string PostgresInvariant = "Npgsql";

    public PortalDatabase(DatabaseEngine engine, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Engine = engine;
        ConnectionString = engine switch
        {
            DatabaseEngine.Sqlite => SqliteConnectionStrings.Normalise(connectionString),
            DatabaseEngine.Postgres => NpgsqlConnectionStrings.Normalise(connectionString),
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
        };
    }

    public DatabaseEngine Engine { get; }

    /// <summary>How long SQLite itself waits for the write lock before the driver's 150 ms retries take over.</summary>
    public static readonly TimeSpan SqliteBusyTimeout = TimeSpan.FromSeconds(5);

    private SqliteBusyTimeoutDataSource? _sqliteDataSource;

    /// <summary>
    /// For SQLite, the data source every Orleans provider and our own code open connections from (it sets SQLite's
    /// busy timeout on each); null for PostgreSQL, where the providers take the connection string.
    /// </summary>
    public DbDataSource? SqliteDataSource => Engine == DatabaseEngine.Sqlite
        ? _sqliteDataSource ??= new SqliteBusyTimeoutDataSource(ConnectionString, SqliteBusyTimeout)
        : null;

    public string ConnectionString { get; }

    public string Invariant => Engine == DatabaseEngine.Sqlite ? SqliteInvariant : PostgresInvariant;

    /// <summary>The database the options describe; the SQLite default is <c>portal.db</c> in the data directory.</summary>
    public static PortalDatabase FromOptions(PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var engine = ParseEngine(options.Database.Provider);
        var connectionString = options.Database.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (engine == DatabaseEngine.Postgres)
            {
                throw new InvalidOperationException(
                    "Portal:Database:ConnectionString is required when Portal:Database:Provider is 'postgres'.");
            }

            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(options.DataDirectoryFullPath, "portal.db"),
            }.ToString();
        }

        return new PortalDatabase(engine, connectionString);
    }

    public static DatabaseEngine ParseEngine(string? provider) => provider?.Trim().ToLowerInvariant() switch
    {
        DatabaseProviders.Sqlite => DatabaseEngine.Sqlite,
        DatabaseProviders.Postgres or "postgresql" or "npgsql" => DatabaseEngine.Postgres,
        _ => throw new InvalidOperationException(
            $"Portal:Database:Provider '{provider}' is not supported; use '{DatabaseProviders.Sqlite}' or '{DatabaseProviders.Postgres}'."),
    };

    /// <summary>Whether schema migrations run when the silo starts.</summary>
    public static bool ShouldMigrateOnStart(PortalOptions options) =>
        options.Database.MigrateOnStart ?? ParseEngine(options.Database.Provider) == DatabaseEngine.Sqlite;

    /// <summary>A new, unopened connection of the engine's driver.</summary>
    public DbConnection CreateConnection() => Engine == DatabaseEngine.Sqlite
        ? SqliteDataSource!.CreateConnection()
        : new NpgsqlConnection(ConnectionString);

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The SQLite file, when the engine is SQLite; used to create its directory before first use.</summary>
    public string? SqliteFilePath => Engine == DatabaseEngine.Sqlite
        ? new SqliteConnectionStringBuilder(ConnectionString).DataSource
        : null;
}
