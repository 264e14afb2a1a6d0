using Npgsql;
using Portal.Silo.Configuration;
using Portal.Silo.Storage;

namespace Portal.Tests.Storage.Infrastructure;

/// <summary>
/// Each database is a fresh schema in the server named by <c>PORTAL_TEST_PG</c> (start one with
/// <c>tests/scripts/postgres.sh start</c>), selected through the connection's search_path.
/// </summary>
public sealed class PostgresTestEngine : ITestEngine
{
    public const string ConnectionVariable = "PORTAL_TEST_PG";
    public const string SkipVariable = "PORTAL_SKIP_POSTGRES";

    public static bool SkipRequested => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    public string UnreachableConnectionString => "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=3";

    public async Task<TestDatabase> CreateDatabaseAsync(string label)
    {
        var server = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{ConnectionVariable} is not set. Start PostgreSQL with: eval \"$(tests/scripts/postgres.sh start)\" " +
                $"(or set {SkipVariable}=1 to skip the PostgreSQL tests explicitly).");
        }

        var schema = $"t_{label.Replace('-', '_')}_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema };
        var database = new PortalDatabase(DatabaseEngine.Postgres, builder.ConnectionString);
        return new TestDatabase(database, DatabaseProviders.Postgres, async () =>
        {
            try
            {
                await using var admin = new NpgsqlConnection(server);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", admin);
                await drop.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException exception)
            {
                Console.Error.WriteLine($"Could not drop test schema {schema}: {exception.Message}");
            }
        });
    }
}
