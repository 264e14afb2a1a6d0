using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Portal.Silo.Storage;

/// <summary>
/// SQLite connections with SQLite's own busy handler switched on. Microsoft.Data.Sqlite sets no busy timeout: a
/// writer that meets the write lock gets SQLITE_BUSY at once and the driver sleeps 150 ms before trying again, so
/// under concurrent writes (every grain write, reminder and file) each collision costs 150 ms of a blocked thread.
/// With <c>PRAGMA busy_timeout</c> SQLite waits for the lock itself in steps of 1–100 ms, which for writes that
/// hold the lock about a millisecond means waits of a few milliseconds. The driver's own retry (its command
/// timeout) still applies after that. The Orleans ADO.NET providers take this as their <c>DataSource</c>.
/// </summary>
public sealed class SqliteBusyTimeoutDataSource(string connectionString, TimeSpan busyTimeout) : DbDataSource
{
    private readonly string _pragma = $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};";

    public override string ConnectionString => connectionString;

    protected override DbConnection CreateDbConnection()
    {
        var connection = new SqliteConnection(connectionString);
        connection.StateChange += OnStateChange;
        return connection;
    }

    // Runs on every open: a pooled connection keeps the setting, but the pool does not say whether it is new, and
    // the pragma costs microseconds.
    private void OnStateChange(object sender, StateChangeEventArgs change)
    {
        if (change.CurrentState != ConnectionState.Open || sender is not SqliteConnection connection)
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }
}
