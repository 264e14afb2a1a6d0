using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Portal.Silo.Storage;

/// <summary>Readiness check: can a connection be opened and a trivial query answered.</summary>
public sealed class DatabaseProbe(PortalDatabase database, ILogger<DatabaseProbe> logger) : IDatabaseProbe
{
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or IOException or TimeoutException)
        {
            // Not-ready is the answer, but the reason belongs in the log or nobody can fix it.
            logger.LogWarning(exception, "{Engine} database did not answer the readiness probe", database.Engine);
            return false;
        }
    }
}
