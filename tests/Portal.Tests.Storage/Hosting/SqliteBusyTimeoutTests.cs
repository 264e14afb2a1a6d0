using Microsoft.Data.Sqlite;
using Portal.Silo.Storage;

namespace Portal.Tests.Storage.Hosting;

/// <summary>
/// SQLite connections opened through <see cref="PortalDatabase"/> (and so by the Orleans providers, which take its
/// data source) wait for the write lock inside SQLite instead of failing at once into the driver's 150 ms retries.
/// What that is worth under load is measured by tools/Portal.LoadGen (docs/performance.md), not asserted here.
/// </summary>
public sealed class SqliteBusyTimeoutTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"portal-busy-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task Every_opened_connection_has_the_busy_timeout_even_when_it_comes_from_the_pool()
    {
        var database = new PortalDatabase(DatabaseEngine.Sqlite, $"Data Source={_file}");
        Assert.NotNull(database.SqliteDataSource);
        for (var i = 0; i < 3; i++)
        {
            await using var connection = await database.SqliteDataSource!.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout;";
            Assert.Equal((long)PortalDatabase.SqliteBusyTimeout.TotalMilliseconds, (long)(await command.ExecuteScalarAsync())!);
        }
    }
}
