using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Portal.Web.Hosting;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>
/// A whole portal (web + embedded silo on SQLite) in this test process, on a real Kestrel bound to loopback,
/// with its own data directory, an HTTP port Kestrel picks and free silo ports. Dispose stops it; the data directory survives for restart tests.
/// </summary>
public sealed class PortalTestHost : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789-abcdefghij";

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
        var directory = dataDirectory ?? NewDataDirectory();
        // Kestrel binds port 0 and reports the port it got; the silo must be told its ports, so a start that lost
        // one of them to another process is made again on fresh ones.
        var app = await FreePorts.StartHostAsync(2, ports => Build(directory, ports[0], ports[1], settings, demo, configure));
        // The address Kestrel actually bound, port included.
        var host = new PortalTestHost(app, new Uri(app.Urls.First()), directory);
        try
        {
            await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    private static WebApplication Build(string dataDirectory, int siloPort, int gatewayPort, IDictionary<string, string?>? settings, bool demo, Action<WebApplicationBuilder>? configure)
    {
        var values = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            // Tests speak plain HTTP on loopback; outside Development cookies are otherwise Secure only.
            ["Portal:SecureCookies"] = "false",
            // Every test speaks from 127.0.0.1 at machine speed; RateLimitTests turn the limits on.
            ["Portal:RateLimits:Enabled"] = "false",
            ["Portal:DataDirectory"] = dataDirectory,
            ["Portal:Bootstrap:ApiKey"] = ApiKey,
            ["Portal:Bootstrap:AdminPassword"] = "correct horse battery staple",
            ["Portal:Bootstrap:Demo"] = demo ? "true" : "false",
            ["Portal:Orleans:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Portal:Orleans:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return PortalWebApp.Build(values.Where(v => v.Value is not null).Select(v => $"--{v.Key}={v.Value}").ToArray(), configure);
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
        await Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    using var response = await client.GetAsync("/health/ready");
                    return response.StatusCode == HttpStatusCode.OK ? null : $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                }
                catch (HttpRequestException ex)
                {
                    return ex.Message;
                }
            },
            notReady => notReady is null,
            "the portal to answer 200 on /health/ready",
            timeout);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
