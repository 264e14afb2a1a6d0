using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Portal.Silo.Storage.Migrations;

/// <summary>
/// Applies the engine's embedded migration files in version order, each in its own transaction, and records them
/// in <c>portal_schema_migrations</c> so that running again applies nothing. Refuses to go on when a recorded
/// file's checksum no longer matches. Safe to run from several processes at once.
/// </summary>
public sealed class DatabaseMigrator
{
    private const string HistoryTable = "portal_schema_migrations";

    // Any constant works; it only has to be the same in every portal process sharing a PostgreSQL database.
    private const long PostgresMigrationLockKey = 0x504F5254414C;

    private readonly PortalDatabase _database;
    private readonly ILogger<DatabaseMigrator> _logger;
    private readonly MigrationScript[] _scripts;

    public DatabaseMigrator(PortalDatabase database, ILogger<DatabaseMigrator> logger)
        : this(database, logger, MigrationScript.Load(database.Engine))
    {
    }

    /// <summary>With explicit scripts, so tests can prove what happens when a file changes.</summary>
    public DatabaseMigrator(PortalDatabase database, ILogger<DatabaseMigrator> logger, IReadOnlyList<MigrationScript> scripts)
    {
        _database = database;
        _logger = logger;
        _scripts = scripts.OrderBy(s => s.Version).ToArray();
    }

    /// <summary>Applies what is missing and returns the scripts applied by this call (empty when up to date).</summary>
    public async Task<IReadOnlyList<MigrationScript>> MigrateAsync(CancellationToken cancellationToken)
    {
        if (_database.SqliteFilePath is { } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await PrepareAsync(connection, cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, CreateHistoryTableSql(), cancellationToken);
            var applied = new List<MigrationScript>();
            foreach (var script in _scripts)
            {
                if (await ApplyAsync(connection, script, cancellationToken))
                {
                    applied.Add(script);
                }
            }

            await WarnAboutUnknownVersionsAsync(connection, cancellationToken);
            if (applied.Count == 0)
            {
                _logger.LogInformation("{Engine} schema is up to date ({Count} migrations applied earlier)", _database.Engine, _scripts.Length);
            }

            return applied;
        }
        finally
        {
            await ReleaseAsync(connection);
        }
    }

    private async Task<bool> ApplyAsync(DbConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Checked inside the transaction: on SQLite it holds the write lock, so a second process migrating the same
        // file waits here and then sees the version recorded instead of applying it twice.
        var recorded = await ReadRecordedChecksumAsync(connection, transaction, script.Version, cancellationToken);
        if (recorded is not null)
        {
            if (!string.Equals(recorded, script.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new MigrationChecksumMismatchException(script.Version, script.Name, recorded, script.Sha256);
            }

            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
        await using (var record = connection.CreateCommand())
        {
            record.Transaction = transaction;
            record.CommandText = $"INSERT INTO {HistoryTable} (version, name, sha256, applied_at) VALUES (@version, @name, @sha256, {NowSql()})";
            AddParameter(record, "version", script.Version);
            AddParameter(record, "name", script.Name);
            AddParameter(record, "sha256", script.Sha256);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _logger.LogInformation("Applied {Engine} migration {Version:D4}_{Name} (sha256 {Sha256})", _database.Engine, script.Version, script.Name, script.Sha256);
        return true;
    }

    private static async Task<string?> ReadRecordedChecksumAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT sha256 FROM {HistoryTable} WHERE version = @version";
        AddParameter(command, "version", version);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private async Task WarnAboutUnknownVersionsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version, name FROM {HistoryTable} ORDER BY version";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var known = _scripts.Select(s => s.Version).ToHashSet();
        while (await reader.ReadAsync(cancellationToken))
        {
            var version = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            if (!known.Contains(version))
            {
                // A newer build migrated this database; this build may not understand the schema it left.
                _logger.LogWarning("Database has migration {Version:D4}_{Name}, which this build does not know", version, reader.GetString(1));
            }
        }
    }

    private async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (_database.Engine == DatabaseEngine.Sqlite)
        {
            // WAL lets readers (page loads, health probes) proceed while a grain writes. The mode is stored in the
            // file, so setting it once here covers every later connection.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
            return;
        }

        // Two silos started together with MigrateOnStart must not run the same DDL concurrently.
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresMigrationLockKey})", cancellationToken);
    }

    private async Task ReleaseAsync(DbConnection connection)
    {
        if (_database.Engine != DatabaseEngine.Postgres)
        {
            return;
        }

        try
        {
            // Explicit, because pooled connections keep session locks when the pool skips the reset on close.
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresMigrationLockKey})", CancellationToken.None);
        }
        catch (DbException exception)
        {
            _logger.LogWarning(exception, "Could not release the migration lock; it is released when the connection closes");
        }
    }

    private string CreateHistoryTableSql() => _database.Engine == DatabaseEngine.Sqlite
        ? $"""
           CREATE TABLE IF NOT EXISTS {HistoryTable}
           (
               version    INTEGER NOT NULL PRIMARY KEY,
               name       TEXT    NOT NULL,
               sha256     TEXT    NOT NULL,
               applied_at TEXT    NOT NULL
           )
           """
        : $"""
           CREATE TABLE IF NOT EXISTS {HistoryTable}
           (
               version    integer     NOT NULL PRIMARY KEY,
               name       text        NOT NULL,
               sha256     text        NOT NULL,
               applied_at timestamptz NOT NULL
           )
           """;

    private string NowSql() => _database.Engine == DatabaseEngine.Sqlite
        ? "strftime('%Y-%m-%d %H:%M:%f', 'now')"
        : "now()";

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
