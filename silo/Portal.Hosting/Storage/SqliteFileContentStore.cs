using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Portal.Silo.Storage;

/// <summary>File contents in the <c>portal_files</c> table of the SQLite database.</summary>
public sealed class SqliteFileContentStore(PortalDatabase database, TimeProvider timeProvider) : IFileContentStore
{
    public async Task<SavedFile> SaveAsync(Guid fileId, Guid projectId, string fileName, string contentType, Stream content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var buffer = await FileContentBuffer.ReadAsync(content, cancellationToken);

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // One statement: a repeated save of the same id keeps the first content and reports it, so an upload
        // retried after a lost response cannot replace a file that a client already saw.
        command.CommandText = """
            INSERT INTO portal_files (file_id, project_id, file_name, content_type, length, sha256, content, created_at)
            VALUES (@fileId, @projectId, @fileName, @contentType, @length, @sha256, @content, @createdAt)
            ON CONFLICT (file_id) DO NOTHING
            """;
        command.Parameters.AddWithValue("@fileId", Key(fileId));
        command.Parameters.AddWithValue("@projectId", Key(projectId));
        command.Parameters.AddWithValue("@fileName", fileName);
        command.Parameters.AddWithValue("@contentType", contentType);
        command.Parameters.AddWithValue("@length", (long)buffer.Content.Length);
        command.Parameters.AddWithValue("@sha256", buffer.Sha256);
        command.Parameters.AddWithValue("@content", buffer.Content);
        command.Parameters.AddWithValue("@createdAt", timeProvider.GetUtcNow().UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);

        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT length, sha256 FROM portal_files WHERE file_id = @fileId";
        read.Parameters.AddWithValue("@fileId", Key(fileId));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"File {fileId} vanished right after it was saved.");
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
        command.Parameters.AddWithValue("@fileId", Key(fileId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredFileInfo(
            fileId,
            Guid.Parse(reader.GetString(0)),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetInt64(3),
            reader.GetString(4));
    }

    public async Task<Stream?> OpenReadAsync(Guid fileId, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        SqliteTransaction? transaction = null;
        try
        {
            // The content is read through SQLite's incremental blob I/O, a page at a time; selecting the column would
            // make SQLite assemble the whole value in memory first. The blob is addressed by rowid, so the lookup and
            // the blob share one read transaction: the snapshot cannot change between them (a deleted row's rowid
            // may be reused by the next insert), and the file stays readable while it is being sent.
            transaction = connection.BeginTransaction(deferred: true);
            long rowId;
            long length;
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT rowid, length FROM portal_files WHERE file_id = @fileId";
                command.Parameters.AddWithValue("@fileId", Key(fileId));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    await transaction.DisposeAsync();
                    await connection.DisposeAsync();
                    return null;
                }
                rowId = reader.GetInt64(0);
                length = reader.GetInt64(1);
            }

            var blob = new SqliteBlob(connection, "portal_files", "content", rowId, readOnly: true);
            return new FileContentStream(blob, length, transaction, connection);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
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
        command.Parameters.AddWithValue("@fileId", Key(fileId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) =>
        (SqliteConnection)await database.OpenConnectionAsync(cancellationToken);

    private static string Key(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);
}
