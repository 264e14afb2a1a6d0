using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Silo.Storage;
using Portal.Silo.Storage.Migrations;

namespace Portal.Bench;

/// <summary>A fresh database on the given server, migrated with the portal's own migrations, dropped at the end.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _server;

    private BenchDatabase(string server, string name, string connectionString)
    {
        _server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The connection string as given (plus the database name), before the portal's Npgsql defaults.</summary>
    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string server)
    {
        var name = $"portal_bench_{Guid.NewGuid():N}"[..24];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var database = new BenchDatabase(server, name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
        await new DatabaseMigrator(new PortalDatabase(DatabaseEngine.Postgres, database.ConnectionString), NullLogger<DatabaseMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
        return database;
    }

    /// <summary>The query text the persistence provider runs for a write, exactly as the migration stored it.</summary>
    public async Task<string> ReadWriteQueryAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The most recently written payload of the given state name, so the direct path writes the same bytes as the grain.</summary>
    public async Task<byte[]> ReadPayloadAsync(string stateName)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT PayloadBinary FROM orleans_storage WHERE GrainTypeString = @state ORDER BY ModifiedOn DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("state", stateName);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    public async Task<string> ServerVersionAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection.PostgreSqlVersion.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
