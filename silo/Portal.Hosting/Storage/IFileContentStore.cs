namespace Portal.Silo.Storage;

/// <summary>What is stored about a file, without its bytes: enough to decide who may have it and to describe it.</summary>
public sealed record StoredFileInfo(
    Guid FileId,
    Guid ProjectId,
    string FileName,
    string ContentType,
    long Length,
    string Sha256);

/// <summary>Result of saving a file: its size and the hex SHA-256 of its bytes.</summary>
public sealed record SavedFile(long Length, string Sha256);

/// <summary>
/// File contents live in a table of their own in the portal database (never in grain state). Contents are only
/// ever read as a stream, so serving a file holds a buffer's worth of it in memory, never the whole file.
/// </summary>
public interface IFileContentStore
{
    /// <summary>Stores the bytes under <paramref name="fileId"/>; saving the same id again replaces nothing and returns the stored facts.</summary>
    Task<SavedFile> SaveAsync(Guid fileId, Guid projectId, string fileName, string contentType, Stream content, CancellationToken cancellationToken);

    /// <summary>The file's facts without reading its content, or null when no such id is stored.</summary>
    Task<StoredFileInfo?> GetInfoAsync(Guid fileId, CancellationToken cancellationToken);

    /// <summary>
    /// The file's content as a forward-only stream whose <see cref="Stream.Length"/> is the stored length, or null
    /// when no such id is stored. The stream holds a database connection until it is disposed: dispose it as soon
    /// as the bytes are sent (or the request ends).
    /// </summary>
    Task<Stream?> OpenReadAsync(Guid fileId, CancellationToken cancellationToken);

    Task DeleteAsync(Guid fileId, CancellationToken cancellationToken);
}

/// <summary>Answers whether the portal database can be reached (used by <c>/health/ready</c>).</summary>
public interface IDatabaseProbe
{
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
