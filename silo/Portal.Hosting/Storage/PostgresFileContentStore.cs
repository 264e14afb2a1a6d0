using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace Portal.Silo.Storage;

/// <summary>File contents in the <c>portal_files</c> table of the PostgreSQL database.</summary>
public sealed class PostgresFileContentStore(PortalDatabase database, TimeProvider timeProvider) : IFileContentStore
{
    public async Task<SavedFile> SaveAsync(Guid fileId, Guid projectId, string fileName, string contentType, Stream content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var buffer = await FileContentBuffer.ReadAsync(content, cancellationToken);

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // A repeated save of the same id keeps the first content and reports it (an upload retried after a lost
        // response must not replace what a client already saw). The CTE returns the stored row either way, in
        // one statement.
        command.CommandText = """
            WITH inserted AS (
                INSERT INTO portal_files (file_id, project_id, file_name, content_type, length, sha256, content, created_at)
                VALUES (@fileId, @projectId, @fileName, @contentType, @length, @sha256, @content, @createdAt)
                ON CONFLICT (file_id) DO NOTHING
                RETURNING length, sha256)
            SELECT length, sha256 FROM inserted
            UNION ALL
            SELECT length, sha256 FROM portal_files WHERE file_id = @fileId AND NOT EXISTS (SELECT 1 FROM inserted)
            """;
        command.Parameters.AddWithValue("fileId", NpgsqlDbType.Uuid, fileId);
        command.Parameters.AddWithValue("projectId", NpgsqlDbType.Uuid, projectId);
        command.Parameters.AddWithValue("fileName", NpgsqlDbType.Text, fileName);
        command.Parameters.AddWithValue("contentType", NpgsqlDbType.Text, contentType);
        command.Parameters.AddWithValue("length", NpgsqlDbType.Bigint, (long)buffer.Content.Length);
        command.Parameters.AddWithValue("sha256", NpgsqlDbType.Text, buffer.Sha256);
        command.Parameters.AddWithValue("content", NpgsqlDbType.Bytea, buffer.Content);
        command.Parameters.AddWithValue("createdAt", NpgsqlDbType.TimestampTz, timeProvider.GetUtcNow().UtcDateTime);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            // A concurrent save of the same id committed between our insert attempt and the read; its row wins.
            await reader.DisposeAsync();
            var stored = await GetInfoAsync(fileId, cancellationToken)
                ?? throw new InvalidOperationException($"File {fileId} could not be saved or read back.");
            return new SavedFile(stored.Length, stored.Sha256);
        }

        return new SavedFile(reader.GetInt64(0), reader.GetString(1));
    }

    public async Task<StoredFileInfo?> GetInfoAsync(Guid fileId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT project_id, file_name, content_type, length, sha256
            FROM portal_files WHERE file_id = @fileId
            """;
        command.Parameters.AddWithValue("fileId", NpgsqlDbType.Uuid, fileId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredFileInfo(
            fileId,
            reader.GetGuid(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetInt64(3),
            reader.GetString(4));
    }

    public async Task<Stream?> OpenReadAsync(Guid fileId, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        NpgsqlCommand? command = null;
        NpgsqlDataReader? reader = null;
        try
        {
            command = connection.CreateCommand();
            command.CommandText = "SELECT length, content FROM portal_files WHERE file_id = @fileId";
            command.Parameters.AddWithValue("fileId", NpgsqlDbType.Uuid, fileId);
            // Sequential access: the driver hands the bytea over as it arrives from the socket instead of buffering
            // the row. Columns must then be read in order (length, then content).
            reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                await reader.DisposeAsync();
                await command.DisposeAsync();
                await connection.DisposeAsync();
                return null;
            }
            var length = reader.GetInt64(0);
            var content = await reader.GetStreamAsync(1, cancellationToken);
            return new FileContentStream(content, length, reader, command, connection);
        }
        catch
        {
            if (reader is not null)
            {
                await reader.DisposeAsync();
            }
            if (command is not null)
            {
                await command.DisposeAsync();
            }
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task DeleteAsync(Guid fileId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM portal_files WHERE file_id = @fileId";
        command.Parameters.AddWithValue("fileId", NpgsqlDbType.Uuid, fileId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        (NpgsqlConnection)await database.OpenConnectionAsync(cancellationToken);
}
