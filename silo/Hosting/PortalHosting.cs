// TEMPORARY stand-in until the storage branch lands: in-memory storage, localhost clustering.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Portal.Silo.Configuration;
using Portal.Silo.Storage;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Portal.Silo.Hosting;

public static class PortalHosting
{
    public static IHostApplicationBuilder AddPortalOrleans(this IHostApplicationBuilder builder)
    {
        var options = new PortalOptions();
        builder.Configuration.GetSection(PortalOptions.Section).Bind(options);
        builder.Services.Configure<PortalOptions>(builder.Configuration.GetSection(PortalOptions.Section));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IFileContentStore, MemoryFiles>();
        builder.Services.AddSingleton<IDatabaseProbe, MemoryFiles>();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.Orleans.SiloPort, options.Orleans.GatewayPort, serviceId: options.Orleans.ServiceId, clusterId: options.Orleans.ClusterId);
            silo.AddMemoryGrainStorage(StorageNames.Portal);
            silo.UseInMemoryReminderService();
        });
        return builder;
    }

    private sealed class MemoryFiles : IFileContentStore, IDatabaseProbe
    {
        private readonly ConcurrentDictionary<Guid, StoredFileContent> _files = new();
        public async Task<SavedFile> SaveAsync(Guid fileId, Guid projectId, string fileName, string contentType, Stream content, CancellationToken cancellationToken)
        {
            using var ms = new MemoryStream();
            await content.CopyToAsync(ms, cancellationToken);
            var bytes = ms.ToArray();
            var f = _files.GetOrAdd(fileId, new StoredFileContent(fileId, projectId, fileName, contentType, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes));
            return new SavedFile(f.Length, f.Sha256);
        }
        public Task<StoredFileContent?> GetAsync(Guid fileId, CancellationToken cancellationToken) => Task.FromResult(_files.TryGetValue(fileId, out var f) ? f : null);
        public Task DeleteAsync(Guid fileId, CancellationToken cancellationToken) { _files.TryRemove(fileId, out _); return Task.CompletedTask; }
        public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
