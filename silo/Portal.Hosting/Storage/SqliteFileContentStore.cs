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

    public async Task<StoredFileContent?> GetAsync(Guid fileId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT project_id, file_name, content_type, length, sha256, content
            FROM portal_files WHERE file_id = @fileId
            """;
        command.Parameters.AddWithValue("@fileId", Key(fileId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredFileContent(
            fileId,
            Guid.Parse(reader.GetString(0)),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetInt64(3),
            reader.GetString(4),
            (byte[])reader.GetValue(5));
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
