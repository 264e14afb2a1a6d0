using System.Data.Common;
using Npgsql;

namespace Portal.Silo.Storage;

/// <summary>
/// Fills in Npgsql settings that keep the Orleans write path fast, keeping anything the operator set explicitly.
/// Every Orleans storage call opens a pooled connection, runs one short command and closes it again, so the
/// per-open and per-command overheads dominate. These are the defaults we want to measure against.
/// </summary>
public static class NpgsqlConnectionStrings
{
    public static string Normalise(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        bool IsSet(string keyword) => given.ContainsKey(keyword);

        // Closing a pooled connection otherwise sends DISCARD ALL, an extra round trip per Orleans call, and it
        // throws away the prepared statements below. Nothing of ours leaves session state behind (the migrator
        // releases its advisory lock explicitly), so skipping the reset is safe.
        if (!IsSet("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        // The providers send the same handful of texts thousands of times; automatic preparation turns them into
        // server-side prepared statements after a few uses, saving parse/plan time on every write.
        if (!IsSet("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 32;
        }

        if (!IsSet("Auto Prepare Min Usages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        // Several silos, each with its persistence, reminders and membership pools, share one server: a modest
        // ceiling per process keeps the server's max_connections from being the first thing to run out.
        if (!IsSet("Maximum Pool Size") && !IsSet("Max Pool Size") && !IsSet("MaxPoolSize"))
        {
            builder.MaxPoolSize = 50;
        }

        // Name the sessions so pg_stat_activity shows who holds a connection.
        if (!IsSet("Application Name"))
        {
            builder.ApplicationName = "portal";
        }

        return builder.ToString();
    }
}
