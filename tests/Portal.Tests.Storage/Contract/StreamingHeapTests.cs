using System.Security.Cryptography;
using Portal.Silo.Storage;
using Portal.Tests.Storage.Infrastructure;

namespace Portal.Tests.Storage.Contract;

/// <summary>
/// Heap measurements are of the whole process, so these tests run in a collection of their own that xunit runs
/// alone, after every parallel collection has finished: no other test's buffers are on the heap while they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "Heap measurements (run alone)";
}

/// <summary>File content is streamed from the database, never held whole in memory.</summary>
public abstract class StreamingHeapTests<TEngine> where TEngine : ITestEngine, new()
{
    private const int Size = 24 * 1024 * 1024;
    private const long Limit = 8 * 1024 * 1024;

    [EngineFact]
    public async Task Content_is_streamed_from_the_database_and_never_held_whole_in_memory()
    {
        await using var database = await new TEngine().CreateDatabaseAsync("heap");
        await database.MigrateAsync();
        var db = database.Database;
        IFileContentStore store = db.Engine == DatabaseEngine.Sqlite
            ? new SqliteFileContentStore(db, TimeProvider.System)
            : new PostgresFileContentStore(db, TimeProvider.System);
        var fileId = Guid.NewGuid();
        var sha256 = await SaveRandomAsync(store, fileId);

        var atRest = LiveHeap();
        await using var content = await store.OpenReadAsync(fileId, CancellationToken.None);
        Assert.NotNull(content);
        Assert.Equal(Size, content.Length);
        var afterOpen = LiveHeap() - atRest;
        Assert.True(afterOpen < Limit, $"Opening the content made {afterOpen} bytes live.");

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long length = 0;
        var checkedHalfway = false;
        int read;
        while ((read = await content.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
            if (!checkedHalfway && length >= Size / 2)
            {
                checkedHalfway = true;
                var halfway = LiveHeap() - atRest;
                Assert.True(halfway < Limit, $"Halfway through the content {halfway} bytes were live.");
                // A download in progress must not hold up the writes around it (grain state, other uploads).
                using var writeWindow = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                var other = Guid.NewGuid();
                await store.SaveAsync(other, Guid.NewGuid(), "other.txt", "text/plain", new MemoryStream([1, 2, 3]), writeWindow.Token);
                await store.DeleteAsync(other, writeWindow.Token);
            }
        }
        Assert.Equal(Size, length);
        Assert.Equal(sha256, Convert.ToHexStringLower(hash.GetHashAndReset()));

        await content.DisposeAsync();
        await store.DeleteAsync(fileId, CancellationToken.None);
        Assert.Null(await store.GetInfoAsync(fileId, CancellationToken.None));
    }

    /// <summary>Saves random bytes and lets go of them, so they are garbage by the time the heap is measured.</summary>
    private static async Task<string> SaveRandomAsync(IFileContentStore store, Guid fileId)
    {
        var bytes = new byte[Size];
        Random.Shared.NextBytes(bytes);
        var saved = await store.SaveAsync(fileId, Guid.NewGuid(), "survey.bin", "application/octet-stream", new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(Size, saved.Length);
        return saved.Sha256;
    }

    /// <summary>The bytes of live objects in the managed heap after a full, compacting collection.</summary>
    private static long LiveHeap() => GC.GetTotalMemory(forceFullCollection: true);
}

[Collection(HeapMeasurementCollection.Name)]
public sealed class SqliteStreamingHeapTests : StreamingHeapTests<SqliteTestEngine>;

[Collection(HeapMeasurementCollection.Name), RequiresPostgres]
public sealed class PostgresStreamingHeapTests : StreamingHeapTests<PostgresTestEngine>;
