using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Portal.Tests.Cluster.Infrastructure;

/// <summary>
/// A portal cluster of real processes on loopback: a fresh PostgreSQL database migrated by the silo's
/// <c>migrate</c> command, N silo processes and optionally one web process in client mode. Everything it started
/// is killed on dispose, whatever state the test left it in; every process logs to
/// <c>artifacts/test-results/cluster-{test}-{node}.log</c>.
/// </summary>
public sealed class PortalCluster : IAsyncDisposable
{
    public const string ApiKey = "cluster-test-api-key-0123456789-abcdef";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _testName;
    private readonly ITestOutputHelper? _output;
    private readonly List<IHost> _clients = [];
    private readonly DateTime _started = DateTime.UtcNow;

    private PortalCluster(string testName, ClusterDatabase database, IReadOnlyList<SiloNode> silos, int webPort, ITestOutputHelper? output)
    {
        _testName = testName;
        _output = output;
        Database = database;
        Silos = silos;
        WebPort = webPort;
        ClusterId = $"portal-{Guid.NewGuid():N}"[..20];
        WebUri = new Uri($"http://127.0.0.1:{webPort}");
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Api = new HttpClient { BaseAddress = WebUri, Timeout = TimeSpan.FromSeconds(10) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    public ClusterDatabase Database { get; }
    public string ClusterId { get; }
    public IReadOnlyList<SiloNode> Silos { get; }
    public int WebPort { get; }
    public Uri WebUri { get; }
    public PortalProcess? Web { get; private set; }

    /// <summary>The staff API of the web process, authenticated with the bootstrap key.</summary>
    public HttpClient Api { get; }

    /// <summary>Unauthenticated, for health endpoints.</summary>
    public HttpClient Http { get; }

    /// <summary>Creates and migrates the database and, unless told otherwise, starts the silos and the web and waits until they are ready.</summary>
    public static async Task<PortalCluster> StartAsync(string testName, int silos, bool web, ITestOutputHelper? output = null, bool start = true)
    {
        var database = await ClusterDatabase.CreateAsync();
        try
        {
            // Every process is told its ports. An attempt in which one of them was taken before the process bound it
            // is stopped and made again on fresh ports, on the same database.
            return await FreePorts.StartAsync((silos * 4) + 1, ports => StartOnAsync(testName, database, silos, web, output, start, ports));
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    private static async Task<PortalCluster> StartOnAsync(string testName, ClusterDatabase database, int silos, bool web, ITestOutputHelper? output, bool start, int[] ports)
    {
        var nodes = Enumerable.Range(0, silos)
            .Select(i => new SiloNode(i + 1, ports[i * 4], ports[(i * 4) + 1], ports[(i * 4) + 2], ports[(i * 4) + 3]))
            .ToArray();
        var cluster = new PortalCluster(testName, database, nodes, ports[^1], output);
        try
        {
            // Logs of an earlier run of the same test would only confuse; restarts within this run append.
            foreach (var node in nodes.Select(n => n.Name).Append("web").Append("migrate"))
            {
                File.Delete(cluster.LogPath(node));
            }

            await cluster.MigrateAsync();
            if (start)
            {
                foreach (var silo in nodes)
                {
                    cluster.StartSilo(silo);
                }

                if (web)
                {
                    cluster.StartWeb();
                }

                await Task.WhenAll(nodes.Select(cluster.WaitUntilSiloReadyAsync));
                if (web)
                {
                    await cluster.WaitUntilWebReadyAsync();
                }

                cluster.Log($"cluster ready: {silos} silos{(web ? " + web" : string.Empty)}");
            }

            return cluster;
        }
        catch (Exception failure)
        {
            cluster.Log($"starting the cluster failed: {failure.Message}");
            await cluster.StopAsync();
            throw;
        }
    }

    public void Log(string message) =>
        _output?.WriteLine($"{(DateTime.UtcNow - _started).TotalSeconds,6:F1}s {message}");

    /// <summary>The silo's own <c>migrate</c> command, as an operator (or the compose file) runs it.</summary>
    private async Task MigrateAsync()
    {
        await using var migrate = PortalProcess.Start("migrate", BuildOutput.SiloDll, ["migrate"], CommonSettings(), LogPath("migrate"));
        if (!await migrate.WaitForExitAsync(StartTimeout))
        {
            throw new TimeoutException($"migrate did not finish within {StartTimeout}; see {LogPath("migrate")}");
        }

        if (migrate.ExitCode != 0)
        {
            throw new InvalidOperationException($"migrate exited with {migrate.ExitCode}; see {LogPath("migrate")}");
        }
    }

    public void StartSilo(SiloNode silo)
    {
        if (silo.IsRunning)
        {
            throw new InvalidOperationException($"{silo.Name} is already running.");
        }

        var settings = CommonSettings();
        foreach (var (key, value) in silo.Settings)
        {
            settings[key] = value;
        }

        // A killed silo is declared dead after missed probes. Probes to a dead process fail at once (connection
        // refused), so a shorter probe period is what speeds this up; three misses (Orleans' default) keep a silo
        // that is merely slow on this busy two-core machine from being voted out.
        settings["Portal__Orleans__ProbeTimeout"] = "00:00:02";
        settings["Portal__Orleans__MissedProbesLimit"] = "3";
        // A notification lost with a killed silo is made by its grain's retry reminder within this period.
        settings["Portal__Orleans__NoticeRetryPeriod"] = "00:00:02";
        silo.Process = PortalProcess.Start(silo.Name, BuildOutput.SiloDll, [], settings, LogPath(silo.Name));
        Log($"started {silo.Name} (pid {silo.Process.Id}, silo {silo.SiloPort}, gateway {silo.GatewayPort})");
    }

    /// <summary>kill -9 of the silo's process; it keeps its ports for a restart.</summary>
    public async Task KillSiloAsync(SiloNode silo)
    {
        var process = silo.Process ?? throw new InvalidOperationException($"{silo.Name} was never started.");
        process.Kill();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await process.DisposeAsync();
        silo.Process = null;
        Log($"killed {silo.Name} (kill -9)");
    }

    public void StartWeb()
    {
        var settings = CommonSettings();
        settings["Portal__Orleans__Mode"] = "client";
        settings["Portal__Bootstrap__ApiKey"] = ApiKey;
        settings["Portal__Bootstrap__AdminPassword"] = "correct horse battery staple";
        settings["Portal__Bootstrap__Demo"] = "false";
        settings["Portal__SecureCookies"] = "false"; // plain HTTP on loopback
        settings["Portal__RateLimits__Enabled"] = "false"; // hundreds of requests a second from one address and key
        settings["Portal__DataDirectory"] = Path.Combine(Path.GetTempPath(), "portal-cluster-tests", ClusterId);
        settings["Portal__PublicBaseUrl"] = WebUri.ToString().TrimEnd('/');
        Web = PortalProcess.Start("web", BuildOutput.WebDll, ["--urls", WebUri.ToString().TrimEnd('/')], settings, LogPath("web"));
        Log($"started web (pid {Web.Id}, {WebUri})");
    }

    public async Task WaitUntilSiloReadyAsync(SiloNode silo)
    {
        await WaitForOkAsync(silo.Name, silo.ReadyUri, () => silo.Process);
        Log($"{silo.Name} ready");
    }

    public Task WaitUntilWebReadyAsync() => WaitForOkAsync("web", new Uri(WebUri, "/health/ready"), () => Web);

    /// <summary>
    /// GET the URI until it answers 200; fails early if the process died (as a bind failure when its log says an
    /// address was in use, so that <see cref="StartAsync"/> can try fresh ports).
    /// </summary>
    public async Task WaitForOkAsync(string name, Uri uri, Func<PortalProcess?> process, TimeSpan? timeout = null)
    {
        await Eventually.ValueAsync(
            async () =>
            {
                if (process() is { HasExited: true } exited)
                {
                    var addressInUse = (await ReadLogAsync(name)).Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                        ? new SocketException((int)SocketError.AddressAlreadyInUse)
                        : null;
                    throw new InvalidOperationException($"{name} exited with {exited.ExitCode} before it was ready; see {LogPath(name)}", addressInUse);
                }

                try
                {
                    using var response = await Http.GetAsync(uri);
                    return response.StatusCode == HttpStatusCode.OK ? null : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    return exception.Message;
                }
            },
            notReady => notReady is null,
            $"{name} to answer 200 on {uri} (see {LogPath(name)})",
            timeout ?? StartTimeout);
    }

    /// <summary>
    /// An Orleans client of this cluster in the test process: through one silo's gateway only when
    /// <paramref name="gateway"/> is given, otherwise through the gateway list in the membership table.
    /// </summary>
    public async Task<IClusterClient> ConnectClientAsync(SiloNode? gateway = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = ClusterId;
                options.ServiceId = ClusterId;
            });
            if (gateway is not null)
            {
                client.UseStaticClustering(gateway.Gateway);
            }
            else
            {
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = Database.ConnectionString;
                });
            }
        });
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await host.StartAsync(timeout.Token);
        _clients.Add(host);
        return host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>What the node logged so far (empty before it logged anything); the process may still be writing.</summary>
    public async Task<string> ReadLogAsync(string node)
    {
        if (!File.Exists(LogPath(node)))
        {
            return string.Empty;
        }

        await using var stream = new FileStream(LogPath(node), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public string LogPath(string node) => Path.Combine(BuildOutput.TestResultsDirectory, $"cluster-{_testName}-{node}.log");

    private Dictionary<string, string> CommonSettings() => new()
    {
        ["Portal__Database__Provider"] = "postgres",
        ["Portal__Database__ConnectionString"] = Database.ConnectionString,
        ["Portal__Orleans__ClusterId"] = ClusterId,
        ["Portal__Orleans__ServiceId"] = ClusterId,
        // Five processes share two cores: the workstation collector keeps each one small.
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_NOLOGO"] = "1",
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        ["Logging__LogLevel__Orleans"] = "Warning",
        ["Logging__LogLevel__Polly"] = "Warning",
        ["Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information",
    };

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Stops the test clients and kills every process it started; the database stays.</summary>
    private async Task StopAsync()
    {
        foreach (var client in _clients)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.StopAsync(timeout.Token);
            }
            catch (Exception exception)
            {
                Log($"stopping a test client failed: {exception.Message}");
            }

            client.Dispose();
        }

        _clients.Clear();

        // Kill everything first (no graceful shutdown needed: the database goes away or is reused), then wait for them.
        var processes = Silos.Select(s => s.Process).Append(Web).OfType<PortalProcess>().ToList();
        foreach (var process in processes)
        {
            process.Kill();
        }

        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        foreach (var silo in Silos)
        {
            silo.Process = null;
        }

        Web = null;
        Api.Dispose();
        Http.Dispose();
    }
}
