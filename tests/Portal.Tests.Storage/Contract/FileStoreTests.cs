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
