using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Portal.Tests.Functional.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Functional;

/// <summary>Tests that measure this process's managed heap run on their own, after every parallel test class.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasuredAloneCollection
{
    public const string Name = "heap measured alone";
}

/// <summary>Serving files streams them: many large downloads at once hold buffers, not files, in memory.</summary>
[Collection(HeapMeasuredAloneCollection.Name)]
public sealed class FileDownloadMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int FileSize = 20 * 1024 * 1024;
    private const int Downloads = 50;
    private const long HeapGrowthLimit = 100L * 1024 * 1024;

    private PortalTestHost _host = null!;

    // One client session runs all the downloads, so the per-client cap is raised to let them all run at once.
    public async Task InitializeAsync() =>
        _host = await PortalTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Portal:Downloads:MaxConcurrentPerClient"] = Downloads.ToString(CultureInfo.InvariantCulture),
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Trait("Category", "Security")]
    [Fact]
    public async Task Fifty_parallel_downloads_of_a_20_MB_file_grow_the_managed_heap_by_less_than_100_MB()
    {
        var clientId = await _host.Api.CreateClientAsync();
        var (projectId, _) = await _host.Api.CreateProjectAsync(clientId);
        var (fileId, expectedHash) = await UploadAsync(projectId);
        var link = await _host.Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        using var browser = new PortalBrowser(_host);
        await browser.EnterAsync(link.Str("url"));
        using var http = _host.CreateClient(cookies: browser.Cookies);
        http.Timeout = TimeSpan.FromMinutes(5);
        var url = $"/portal/files/{fileId}/download";

        // The upload's buffers are garbage by now; what is left is the host at rest.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var heap = HeapSampler.Start();

        // Every response has its headers before any body is read: all fifty files are being served at the same time
        // (a server that loads the file first has all fifty loaded here).
        var responses = await Task.WhenAll(Enumerable.Range(0, Downloads).Select(_ => http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead)));
        try
        {
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Assert.All(responses, r => Assert.Equal(FileSize, r.Content.Headers.ContentLength));
            // The test's own side reads into one small buffer per download and hashes as bytes arrive, so it adds
            // kilobytes, not files, to the heap measured.
            var received = await Task.WhenAll(responses.Select(ReadAndHashAsync));
            Assert.All(received, r =>
            {
                Assert.Equal(FileSize, r.Length);
                Assert.Equal(expectedHash, r.Sha256);
            });
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        var peak = heap.Stop();
        var growth = peak.TotalMemory - baseline;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Downloads} parallel downloads of {FileSize / (1024 * 1024)} MB: managed heap at rest {Mb(baseline)}, peak {Mb(peak.TotalMemory)} (growth {Mb(growth)}); " +
            $"largest heap after a GC {Mb(peak.HeapSizeAfterGc)}; {peak.Samples} samples."));
        Assert.True(growth < HeapGrowthLimit, $"The managed heap grew by {Mb(growth)} (limit {Mb(HeapGrowthLimit)}).");
    }

    private async Task<(Guid Id, string Sha256)> UploadAsync(Guid projectId)
    {
        var bytes = new byte[FileSize];
        new Random(20).NextBytes(bytes);
        var created = await _host.Api.ShareFileQuietlyAsync(projectId, "survey.bin", bytes);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(sha256, created.Str("sha256"));
        return (created.Id(), sha256);
    }

    private static async Task<(long Length, string Sha256)> ReadAndHashAsync(HttpResponseMessage response)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[16 * 1024];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }
        return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MB");

    /// <summary>
    /// Reads the managed heap size on a thread of its own (so a busy thread pool cannot starve it) as often as it
    /// can, keeping the highest value. <see cref="GC.GetTotalMemory(bool)"/> without a collection counts garbage not
    /// yet collected too, so the peak is an upper bound on what was live.
    /// </summary>
    private sealed class HeapSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stopped;
        private long _peak;
        private long _peakAfterGc;
        private int _samples;

        private HeapSampler()
        {
            _thread = new Thread(Sample) { IsBackground = true, Name = "heap sampler" };
        }

        public static HeapSampler Start()
        {
            var sampler = new HeapSampler();
            sampler._thread.Start();
            return sampler;
        }

        private void Sample()
        {
            while (!_stopped)
            {
                _peak = Math.Max(_peak, GC.GetTotalMemory(forceFullCollection: false));
                _peakAfterGc = Math.Max(_peakAfterGc, GC.GetGCMemoryInfo().HeapSizeBytes);
                _samples++;
                Thread.Sleep(1);
            }
        }

        public (long TotalMemory, long HeapSizeAfterGc, int Samples) Stop()
        {
            _stopped = true;
            _thread.Join();
            return (_peak, _peakAfterGc, _samples);
        }

        public void Dispose()
        {
            if (!_stopped)
            {
                Stop();
            }
        }
    }
}
