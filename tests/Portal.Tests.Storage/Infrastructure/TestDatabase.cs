using Microsoft.Extensions.Logging.Abstractions;
using Portal.Silo.Configuration;
using Portal.Silo.Storage;
using Portal.Silo.Storage.Migrations;

namespace Portal.Tests.Storage.Infrastructure;

/// <summary>An empty, isolated database (a SQLite file or a PostgreSQL schema) that is removed on dispose.</summary>
public sealed class TestDatabase(PortalDatabase database, string provider, Func<ValueTask> cleanup) : IAsyncDisposable
{
    public PortalDatabase Database { get; } = database;

    public string Provider { get; } = provider;

    public string ConnectionString => Database.ConnectionString;

    public string Invariant => Database.Invariant;

    public DatabaseMigrator Migrator() => new(Database, NullLogger<DatabaseMigrator>.Instance);

    public Task<IReadOnlyList<MigrationScript>> MigrateAsync() => Migrator().MigrateAsync(CancellationToken.None);

    /// <summary>Options for a portal host on this database with its own cluster identity; the caller picks its ports.</summary>
    public PortalOptions HostOptions(string dataDirectory, string mode = OrleansModes.Embedded)
    {
        var options = new PortalOptions { DataDirectory = dataDirectory };
        options.Database.Provider = Provider;
        options.Database.ConnectionString = ConnectionString;
        options.Orleans.Mode = mode;
        options.Orleans.ClusterId = "c-" + Guid.NewGuid().ToString("N");
        options.Orleans.ServiceId = "s-" + Guid.NewGuid().ToString("N");
        return options;
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public ValueTask DisposeAsync() => cleanup();
}
