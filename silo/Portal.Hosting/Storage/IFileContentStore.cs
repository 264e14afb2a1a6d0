namespace Portal.Silo.Storage;

/// <summary>A stored file's bytes and the facts needed to serve them.</summary>
public sealed record StoredFileContent(
    Guid FileId,
    Guid ProjectId,
    string FileName,
    string ContentType,
    long Length,
    string Sha256,
    byte[] Content);

/// <summary>Result of saving a file: its size and the hex SHA-256 of its bytes.</summary>
public sealed record SavedFile(long Length, string Sha256);

/// <summary>
/// File contents live in a table of their own in the portal database (never in grain state).
/// </summary>
public interface IFileContentStore
{
    /// <summary>Stores the bytes under <paramref name="fileId"/>; saving the same id again replaces nothing and returns the stored facts.</summary>
    Task<SavedFile> SaveAsync(Guid fileId, Guid projectId, string fileName, string contentType, Stream content, CancellationToken cancellationToken);

    /// <summary>The file, or null when no such id is stored.</summary>
    Task<StoredFileContent?> GetAsync(Guid fileId, CancellationToken cancellationToken);

    Task DeleteAsync(Guid fileId, CancellationToken cancellationToken);
}

/// <summary>Answers whether the portal database can be reached (used by <c>/health/ready</c>).</summary>
public interface IDatabaseProbe
{
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
