using Microsoft.Data.Sqlite;
using Portal.Silo.Configuration;
using Portal.Silo.Storage;

namespace Portal.Tests.Storage.Infrastructure;

/// <summary>Each database is a real SQLite file in its own temporary directory.</summary>
public sealed class SqliteTestEngine : ITestEngine
{
    public string UnreachableConnectionString =>
        $"Data Source={Path.Combine(Path.GetTempPath(), "portal-missing-" + Guid.NewGuid().ToString("N"), "nope", "x.db")};Mode=ReadWrite";

    public Task<TestDatabase> CreateDatabaseAsync(string label)
    {
        var directory = Path.Combine(Path.GetTempPath(), "portal-tests", $"{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var database = new PortalDatabase(DatabaseEngine.Sqlite, $"Data Source={Path.Combine(directory, "portal.db")}");
        return Task.FromResult(new TestDatabase(database, DatabaseProviders.Sqlite, () =>
        {
            // Pooled connections keep the file open; release them before removing the directory.
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException exception)
            {
                Console.Error.WriteLine($"Could not remove test database directory {directory}: {exception.Message}");
            }

            return ValueTask.CompletedTask;
        }));
    }
}
