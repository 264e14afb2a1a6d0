using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Portal.Web.Hosting;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>
/// A whole portal (web + embedded silo on SQLite) in this test process, on a real Kestrel bound to loopback,
/// with its own data directory and free ports. Dispose stops it; the data directory survives for restart tests.
/// </summary>
public sealed class PortalTestHost : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789";

    private readonly WebApplication _app;

    private PortalTestHost(WebApplication app, Uri baseUri, string dataDirectory)
    {
        _app = app;
        BaseUri = baseUri;
        DataDirectory = dataDirectory;
        Api = CreateClient(authenticated: true);
    }

    public Uri BaseUri { get; }
    public string DataDirectory { get; }
    public HttpClient Api { get; }
    public IServiceProvider Services => _app.Services;

    public static string NewDataDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static async Task<PortalTestHost> StartAsync(string? dataDirectory = null, IDictionary<string, string?>? settings = null, bool demo = false, Action<WebApplicationBuilder>? configure = null)
    {
        dataDirectory ??= NewDataDirectory();
        var httpPort = FreePort();
        var values = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{httpPort}",
            ["Portal:DataDirectory"] = dataDirectory,
            ["Portal:Bootstrap:ApiKey"] = ApiKey,
            ["Portal:Bootstrap:AdminPassword"] = "correct horse battery staple",
            ["Portal:Bootstrap:Demo"] = demo ? "true" : "false",
            ["Portal:Orleans:SiloPort"] = FreePort().ToString(),
            ["Portal:Orleans:GatewayPort"] = FreePort().ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var args = values.Where(v => v.Value is not null).Select(v => $"--{v.Key}={v.Value}").ToArray();
        var app = PortalWebApp.Build(args, configure);
        await app.StartAsync();
        var host = new PortalTestHost(app, new Uri($"http://127.0.0.1:{httpPort}"), dataDirectory);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    public HttpClient CreateClient(bool authenticated = false, bool followRedirects = true, CookieContainer? cookies = null)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = followRedirects,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
        };
        var client = new HttpClient(handler) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        if (authenticated)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        }
        return client;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The portal did not become ready within {timeout}: {last}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
