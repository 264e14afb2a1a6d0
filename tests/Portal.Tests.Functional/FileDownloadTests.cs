using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Portal.Silo.Storage;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.ClientPortal;

namespace Portal.Tests.Functional;

/// <summary>
/// Shared files are served only after the client is known to own them, straight from the database a chunk at a
/// time, and no client runs more than <c>Portal:Downloads:MaxConcurrentPerClient</c> downloads at once.
/// </summary>
public sealed class FileDownloadTests : IAsyncLifetime
{
    private const int Cap = 2;

    private PortalTestHost _host = null!;
    private ObservedFileStore _store = null!;

    private HttpClient Api => _host.Api;
    private DownloadSlots Slots => _host.Services.GetRequiredService<DownloadSlots>();

    public async Task InitializeAsync()
    {
        _host = await PortalTestHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Portal:Downloads:MaxConcurrentPerClient"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            configure: b => b.Services.AddSingleton<IFileContentStore>(sp => new ObservedFileStore(
                new SqliteFileContentStore(sp.GetRequiredService<PortalDatabase>(), sp.GetRequiredService<TimeProvider>()))));
        _store = (ObservedFileStore)_host.Services.GetRequiredService<IFileContentStore>();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A client with a project holding one shared file, and a browser signed in through the client's link.</summary>
    private async Task<(Guid Client, Guid File, byte[] Bytes, PortalBrowser Browser)> ClientWithFileAsync(int size = 256 * 1024)
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        var fileId = (await Api.ShareFileQuietlyAsync(projectId, "drawings.bin", bytes)).Id();
        var link = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        var browser = new PortalBrowser(_host);
        await browser.EnterAsync(link.Str("url"));
        return (clientId, fileId, bytes, browser);
    }

    private static async Task AssertServedAsync(HttpResponseMessage response, byte[] expected)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected.Length, response.Content.Headers.ContentLength);
        Assert.Equal(SHA256.HashData(expected), SHA256.HashData(await response.Content.ReadAsByteArrayAsync()));
    }

    [Trait("Category", "Security")]
    [Fact]
    public async Task Another_clients_file_is_not_found_and_not_one_byte_of_it_is_read()
    {
        var mine = await ClientWithFileAsync();
        var theirs = await ClientWithFileAsync();
        using var _ = theirs.Browser;
        using var me = mine.Browser;

        var opensBefore = _store.ContentOpens;
        foreach (var path in new[] { $"/portal/files/{theirs.File}", $"/portal/files/{theirs.File}/download", $"/portal/files/{Guid.NewGuid()}/download" })
        {
            using var refused = await me.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        Assert.Equal(opensBefore, _store.ContentOpens);

        // The same route does read content for the owner: the count above could have moved.
        using (var own = await me.Http.GetAsync($"/portal/files/{mine.File}/download"))
        {
            await AssertServedAsync(own, mine.Bytes);
        }
        Assert.Equal(opensBefore + 1, _store.ContentOpens);
        await Eventually.UntilAsync(() => _store.ContentCloses == _store.ContentOpens, "the served file's connection to be released");
    }

    [Trait("Category", "Security")]
    [Fact]
    public async Task A_download_beyond_the_per_client_cap_gets_429_with_retry_after_and_slots_come_back_when_downloads_end()
    {
        var (clientId, fileId, bytes, browser) = await ClientWithFileAsync();
        var other = await ClientWithFileAsync();
        using var _ = browser;
        using var __ = other.Browser;
        var url = $"/portal/files/{fileId}/download";

        _store.HoldReads();
        var opensBefore = _store.ContentOpens;
        var running = Enumerable.Range(0, Cap).Select(_ => browser.Http.GetAsync(url)).ToList();
        await Eventually.UntilAsync(() => _store.ContentOpens == opensBefore + Cap, $"{Cap} downloads to be streaming");
        Assert.Equal(Cap, Slots.RunningFor(clientId));

        using (var refused = await browser.Http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(DownloadOptions.RetryAfterSeconds), refused.Headers.RetryAfter!.Delta);
            Assert.Contains("wait for one of them to finish", await refused.Content.ReadAsStringAsync());
        }
        using (var asJson = new HttpRequestMessage(HttpMethod.Get, url))
        {
            asJson.Headers.Accept.ParseAdd("application/json");
            using var refused = await browser.Http.SendAsync(asJson);
            Assert.Equal(TimeSpan.FromSeconds(DownloadOptions.RetryAfterSeconds), refused.Headers.RetryAfter!.Delta);
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, RuleCodes.RequestRateLimited);
        }
        Assert.Equal(opensBefore + Cap, _store.ContentOpens);

        // The cap is per client: another client downloads meanwhile.
        var others = other.Browser.Http.GetAsync($"/portal/files/{other.File}/download");
        await Eventually.UntilAsync(() => _store.ContentOpens == opensBefore + Cap + 1, "the other client's download to be streaming");

        _store.ReleaseReads();
        foreach (var download in running)
        {
            using var response = await download;
            await AssertServedAsync(response, bytes);
        }
        using (var response = await others)
        {
            await AssertServedAsync(response, other.Bytes);
        }
        await Eventually.UntilAsync(() => Slots.RunningFor(clientId) == 0 && Slots.RunningFor(other.Client) == 0, "every slot to be given back");
        await Eventually.UntilAsync(() => _store.ContentCloses == _store.ContentOpens, "every file's connection to be released");

        using var again = await browser.Http.GetAsync(url);
        await AssertServedAsync(again, bytes);
    }

    [Trait("Category", "Security")]
    [Fact]
    public async Task A_download_the_client_abandons_or_the_database_breaks_gives_its_slot_and_connection_back()
    {
        var (clientId, fileId, bytes, browser) = await ClientWithFileAsync();
        using var _ = browser;
        var url = $"/portal/files/{fileId}/download";

        // Abandoned: the client hangs up while the server is mid-file.
        _store.HoldReads();
        var opensBefore = _store.ContentOpens;
        using var hangUp = new CancellationTokenSource();
        var abandoned = browser.Http.GetAsync(url, hangUp.Token);
        await Eventually.UntilAsync(() => _store.ContentOpens == opensBefore + 1, "the download to be streaming");
        Assert.Equal(1, Slots.RunningFor(clientId));
        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await Eventually.UntilAsync(() => Slots.RunningFor(clientId) == 0, "the abandoned download's slot to be given back");
        await Eventually.UntilAsync(() => _store.ContentCloses == _store.ContentOpens, "the abandoned download's connection to be released");
        _store.ReleaseReads();

        // Broken: reading the content fails; the client gets an error, the slot and connection still come back.
        _store.FailReadsWith = new IOException("The database went away.");
        // One more failure than the cap, each giving its slot back (with a leak the last would be a 429).
        for (var attempt = 0; attempt < Cap + 1; attempt++)
        {
            using var failed = await browser.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            await Eventually.UntilAsync(() => Slots.RunningFor(clientId) == 0, "the failed download's slot to be given back");
        }
        await Eventually.UntilAsync(() => _store.ContentCloses == _store.ContentOpens, "the failed downloads' connections to be released");
        _store.FailReadsWith = null;

        using var served = await browser.Http.GetAsync(url);
        await AssertServedAsync(served, bytes);
    }
}
