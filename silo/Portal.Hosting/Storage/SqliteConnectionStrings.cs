using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Portal.Silo.Storage;

/// <summary>Fills in the SQLite connection settings the portal relies on, keeping anything the operator set.</summary>
public static class SqliteConnectionStrings
{
    public static string Normalise(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new SqliteConnectionStringBuilder(connectionString);

        // Every Orleans call opens a connection; pooling keeps that cheap (the driver default, stated so only an
        // explicit "Pooling=False" turns it off).
        if (!given.ContainsKey("Pooling"))
        {
            builder.Pooling = true;
        }

        // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout, which makes this our busy timeout:
        // with one writer at a time, a grain write that meets the file store's write must wait, not fail.
        if (!given.ContainsKey("Default Timeout") && !given.ContainsKey("Command Timeout"))
        {
            builder.DefaultTimeout = 30;
        }

        return builder.ToString();
    }
}
