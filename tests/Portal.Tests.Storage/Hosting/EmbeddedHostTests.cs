using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;
using Portal.Silo.Hosting;
using Portal.Silo.Storage;

namespace Portal.Tests.Storage.Hosting;

/// <summary>
/// <see cref="PortalHosting.AddPortalOrleans"/> in embedded mode, as the web uses it. Hosts get their own data
/// directory, ClusterId and free ports, so several run at once and one after another.
/// </summary>
public sealed class EmbeddedHostTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "portal-tests", "embedded-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException exception)
        {
            Console.Error.WriteLine($"Could not remove {_root}: {exception.Message}");
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Two_embedded_hosts_run_side_by_side_and_state_survives_a_restart()
    {
        var settingsA = Settings(Path.Combine(_root, "a"));
        var settingsB = Settings(Path.Combine(_root, "b"));
        var noteId = Guid.NewGuid();

        var hosts = await Task.WhenAll(StartAsync(settingsA), StartAsync(settingsB));
        try
        {
            foreach (var host in hosts)
            {
                Assert.True(host.Services.GetRequiredService<IClusterReadiness>().IsConnected);
                Assert.True(await host.Services.GetRequiredService<IDatabaseProbe>().PingAsync(CancellationToken.None));
                Assert.Equal(OrleansModes.Embedded, host.Services.GetRequiredService<IOptions<PortalOptions>>().Value.Orleans.Mode);
            }

            await hosts[0].Services.GetRequiredService<IGrainFactory>().GetGrain<ITestNoteGrain>(noteId).Save("from A");
            Assert.Null(await hosts[1].Services.GetRequiredService<IGrainFactory>().GetGrain<ITestNoteGrain>(noteId).Read());
        }
        finally
        {
            await Task.WhenAll(hosts.Select(StopAsync));
        }

        Assert.True(File.Exists(Path.Combine(_root, "a", "portal.db")));

        var restarted = await StartAsync(settingsA);
        try
        {
            Assert.Equal("from A", await restarted.Services.GetRequiredService<IGrainFactory>().GetGrain<ITestNoteGrain>(noteId).Read());
        }
        finally
        {
            await StopAsync(restarted);
        }
    }

    [Fact]
    public void Invalid_configuration_is_refused_while_composing()
    {
        var settings = Settings(Path.Combine(_root, "bad"));
        settings["Portal:Database:Provider"] = "oracle";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        var failure = Assert.Throws<OptionsValidationException>(() => builder.AddPortalOrleans());
        Assert.Contains("oracle", failure.Message);
    }

    private static Dictionary<string, string?> Settings(string dataDirectory) => new()
    {
        ["Portal:DataDirectory"] = dataDirectory,
        ["Portal:Orleans:Mode"] = OrleansModes.Embedded,
        ["Portal:Orleans:ClusterId"] = "embedded-" + Guid.NewGuid().ToString("N"),
    };

    /// <summary>Starts an embedded host with the settings, on silo and gateway ports of its own (fresh each start).</summary>
    private static Task<IHost> StartAsync(Dictionary<string, string?> settings) => FreePorts.StartHostAsync(2, ports =>
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["Portal:Orleans:SiloPort"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Portal:Orleans:GatewayPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.AddPortalOrleans();
        return builder.Build();
    });

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }
}
