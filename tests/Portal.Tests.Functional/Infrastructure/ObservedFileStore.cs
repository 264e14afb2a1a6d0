using Portal.Silo.Storage;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>
/// The real file store with every content read it opens counted, and closed again, so a test can prove which
/// requests read file bytes at all. Reads can be held at their first chunk (to keep downloads running) or made to
/// fail (a database that goes away mid-file).
/// </summary>
public sealed class ObservedFileStore(IFileContentStore inner) : IFileContentStore
{
    private int _opened;
    private int _closed;
    private TaskCompletionSource _reads = Released();

    /// <summary>How many times content was asked for (whether or not the id existed).</summary>
    public int ContentOpens => Volatile.Read(ref _opened);

    /// <summary>How many opened content streams have been disposed.</summary>
    public int ContentCloses => Volatile.Read(ref _closed);

    public Exception? FailReadsWith { get; set; }

    /// <summary>From now on, content reads wait (cancellably) until <see cref="ReleaseReads"/>.</summary>
    public void HoldReads() => _reads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseReads() => _reads.TrySetResult();

    public Task<SavedFile> SaveAsync(Guid fileId, Guid projectId, string fileName, string contentType, Stream content, CancellationToken cancellationToken) =>
        inner.SaveAsync(fileId, projectId, fileName, contentType, content, cancellationToken);

    public Task<StoredFileInfo?> GetInfoAsync(Guid fileId, CancellationToken cancellationToken) =>
        inner.GetInfoAsync(fileId, cancellationToken);

    public async Task<Stream?> OpenReadAsync(Guid fileId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opened);
        var content = await inner.OpenReadAsync(fileId, cancellationToken);
        if (content is null)
        {
            Interlocked.Increment(ref _closed);
            return null;
        }
        return new ObservedStream(this, content, _reads.Task, FailReadsWith);
    }

    public Task DeleteAsync(Guid fileId, CancellationToken cancellationToken) => inner.DeleteAsync(fileId, cancellationToken);

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource();
        released.SetResult();
        return released;
    }

    private sealed class ObservedStream(ObservedFileStore store, Stream inner, Task reads, Exception? failure) : Stream
    {
        private int _disposed;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await reads.WaitAsync(cancellationToken);
            if (failure is not null)
            {
                throw failure;
            }
            return await inner.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The portal reads files asynchronously.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                inner.Dispose();
                Interlocked.Increment(ref store._closed);
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await inner.DisposeAsync();
                Interlocked.Increment(ref store._closed);
            }
            await base.DisposeAsync();
        }
    }
}
