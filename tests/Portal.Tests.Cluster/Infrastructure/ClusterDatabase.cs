using Npgsql;

namespace Portal.Tests.Cluster.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database per cluster, created on the server named by <c>PORTAL_TEST_PG</c> (start one with
/// <c>eval "$(tests/scripts/postgres.sh start)"</c>) and dropped again on dispose.
/// </summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    public const string ConnectionVariable = "PORTAL_TEST_PG";
    public const string SkipVariable = "PORTAL_SKIP_POSTGRES";

    /// <summary>Orleans membership status codes as stored in <c>orleans_membership.Status</c>.</summary>
    public const int ActiveStatus = 3;
    public const int DeadStatus = 6;

    private readonly string _serverConnectionString;

    private ClusterDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public static bool SkipRequested => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<ClusterDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{ConnectionVariable} is not set. Start PostgreSQL with: eval \"$(bash tests/scripts/postgres.sh start)\" " +
                $"(or set {SkipVariable}=1 to skip the PostgreSQL tests explicitly).");
        }

        var name = $"portal_cluster_{Guid.NewGuid():N}"[..32];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Timeout = 10 }.ConnectionString;
        return new ClusterDatabase(server, name, connectionString);
    }

    /// <summary>Every membership row of the cluster, oldest generation first.</summary>
    public async Task<IReadOnlyList<MemberRow>> ReadMembershipAsync(string clusterId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Address, Port, Generation, Status, ProxyPort FROM orleans_membership WHERE DeploymentId = @cluster ORDER BY Port, Generation",
            connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<MemberRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new MemberRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
        }

        return rows;
    }

    /// <summary>The stored versions of every grain state row with this state name (each write adds one).</summary>
    public async Task<IReadOnlyList<int>> ReadStateVersionsAsync(string stateName)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT Version FROM orleans_storage WHERE GrainTypeString = @state", connection);
        command.Parameters.AddWithValue("state", stateName);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var admin = new NpgsqlConnection(_serverConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException exception)
        {
            Console.Error.WriteLine($"Could not drop test database {Name}: {exception.Message}");
        }
    }
}

public sealed record MemberRow(string Address, int Port, int Generation, int Status, int GatewayPort);
