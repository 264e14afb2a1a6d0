using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Silo.Storage;
using Portal.Tests.Storage.Infrastructure;

namespace Portal.Tests.Storage.Contract;

/// <summary>The file-content store and readiness probe of each engine.</summary>
public abstract class FileStoreTests<TEngine>(ContractSilo<TEngine> silo) where TEngine : ITestEngine, new()
{
    [EngineFact]
    public async Task Saved_files_come_back_byte_for_byte_and_a_second_save_keeps_the_first()
    {
        var store = silo.Services.GetRequiredService<IFileContentStore>();
        var fileId = Guid.NewGuid();
        var projectId = Guid.NewGuid();
        var bytes = new byte[70_000];
        Random.Shared.NextBytes(bytes);

        var saved = await store.SaveAsync(fileId, projectId, "plan.pdf", "application/pdf", new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(bytes.Length, saved.Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), saved.Sha256);

        var again = await store.SaveAsync(fileId, projectId, "other.txt", "text/plain", new MemoryStream([1, 2, 3]), CancellationToken.None);
        Assert.Equal(saved, again);

        Assert.Equal(new StoredFileInfo(fileId, projectId, "plan.pdf", "application/pdf", bytes.Length, saved.Sha256), await store.GetInfoAsync(fileId, CancellationToken.None));
        await using (var content = await store.OpenReadAsync(fileId, CancellationToken.None))
        {
            Assert.NotNull(content);
            Assert.Equal(bytes.Length, content.Length);
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }

        await store.DeleteAsync(fileId, CancellationToken.None);
        Assert.Null(await store.GetInfoAsync(fileId, CancellationToken.None));
        Assert.Null(await store.OpenReadAsync(fileId, CancellationToken.None));
        Assert.Null(await store.OpenReadAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [EngineFact]
    public async Task Content_is_streamed_from_the_database_and_never_held_whole_in_memory()
    {
        // The heap is the process's: the engines' twins of this test (which allocate 24 MB each) take turns.
        await HeapMeasurements.OneAtATime.WaitAsync();
        try
        {
            await StreamAndMeasureAsync();
        }
        finally
        {
            HeapMeasurements.OneAtATime.Release();
        }
    }

    private async Task StreamAndMeasureAsync()
    {
        const int size = 24 * 1024 * 1024;
        const long limit = 8 * 1024 * 1024;
        var store = silo.Services.GetRequiredService<IFileContentStore>();
        var fileId = Guid.NewGuid();
        var sha256 = await SaveRandomAsync(store, fileId, size);

        var atRest = LiveHeap();
        await using var content = await store.OpenReadAsync(fileId, CancellationToken.None);
        Assert.NotNull(content);
        Assert.Equal(size, content.Length);
        var afterOpen = LiveHeap() - atRest;
        Assert.True(afterOpen < limit, $"Opening the content made {afterOpen} bytes live.");

        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long length = 0;
        var checkedHalfway = false;
        int read;
        while ((read = await content.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
            if (!checkedHalfway && length >= size / 2)
            {
                checkedHalfway = true;
                var halfway = LiveHeap() - atRest;
                Assert.True(halfway < limit, $"Halfway through the content {halfway} bytes were live.");
                // A download in progress must not hold up the writes around it (grain state, other uploads).
                using var writeWindow = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                var other = Guid.NewGuid();
                await store.SaveAsync(other, Guid.NewGuid(), "other.txt", "text/plain", new MemoryStream([1, 2, 3]), writeWindow.Token);
                await store.DeleteAsync(other, writeWindow.Token);
            }
        }
        Assert.Equal(size, length);
        Assert.Equal(sha256, Convert.ToHexStringLower(hash.GetHashAndReset()));

        await content.DisposeAsync();
        await store.DeleteAsync(fileId, CancellationToken.None);
        Assert.Null(await store.GetInfoAsync(fileId, CancellationToken.None));
    }

    /// <summary>Saves random bytes and lets go of them, so they are garbage by the time the heap is measured.</summary>
    private static async Task<string> SaveRandomAsync(IFileContentStore store, Guid fileId, int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        var saved = await store.SaveAsync(fileId, Guid.NewGuid(), "survey.bin", "application/octet-stream", new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(size, saved.Length);
        return saved.Sha256;
    }

    /// <summary>
    /// The bytes of live objects in this process's managed heap after a full collection: the least of three readings
    /// 100 ms apart, so a buffer another test class holds for a moment (they run in parallel) is not counted as ours.
    /// </summary>
    private static long LiveHeap()
    {
        var least = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 2; i++)
        {
            Thread.Sleep(100);
            least = Math.Min(least, GC.GetTotalMemory(forceFullCollection: true));
        }
        return least;
    }

    [EngineFact]
    public async Task The_probe_answers_true_for_the_database_and_false_for_an_unreachable_one()
    {
        var probe = silo.Services.GetRequiredService<IDatabaseProbe>();
        Assert.True(await probe.PingAsync(CancellationToken.None));

        var unreachable = new PortalDatabase(silo.Database.Database.Engine, silo.Engine.UnreachableConnectionString);
        var failing = new DatabaseProbe(unreachable, NullLogger<DatabaseProbe>.Instance);
        Assert.False(await failing.PingAsync(CancellationToken.None));
    }
}

[Collection(SqliteContractCollection.Name)]
public sealed class SqliteFileStoreTests(SqliteContractSilo silo) : FileStoreTests<SqliteTestEngine>(silo);

/// <summary>One heap measurement at a time across the engines' file store tests.</summary>
internal static class HeapMeasurements
{
    public static readonly SemaphoreSlim OneAtATime = new(1, 1);
}
