using System.Data;
using System.Data.Common;
using Npgsql;

namespace Portal.Bench;

/// <summary>
/// What the persistence provider does for one write, minus Orleans: open a pooled connection, run our
/// <c>WriteToStorageKey</c> text with the provider's parameters and types, read the new version, close.
/// Each writer owns one row and carries its version forward like a grain's ETag.
/// </summary>
public sealed class DirectWriter(string connectionString, string writeQuery, string serviceId, string stateName, IReadOnlyList<byte[]> payloads, long key)
{
    private int? _version;
    private int _writes;

    public async Task WriteAsync()
    {
        // A new connection object per write, from the pool the connection string names: what the provider does.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = writeQuery;
        Add(command, "GrainIdHash", DbType.Int32, unchecked((int)key));
        Add(command, "GrainIdN0", DbType.Int64, key);
        Add(command, "GrainIdN1", DbType.Int64, key);
        Add(command, "GrainTypeHash", DbType.Int32, stateName.GetHashCode(StringComparison.Ordinal));
        Add(command, "GrainTypeString", DbType.String, stateName);
        Add(command, "GrainIdExtensionString", DbType.String, null);
        Add(command, "ServiceId", DbType.String, serviceId);
        Add(command, "GrainStateVersion", DbType.Int32, _version);
        // Cycles through the payloads the way the grain's state alternates (e.g. with and without a booking).
        Add(command, "PayloadBinary", DbType.Binary, payloads[_writes++ % payloads.Count]);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException($"Write of row {key} at version {_version} was refused (stale version).");
        }

        _version = reader.GetInt32(0);
    }

    private static void Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
