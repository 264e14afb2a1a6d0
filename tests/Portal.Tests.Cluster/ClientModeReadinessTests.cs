using System.Net;
using Portal.Tests.Cluster.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>A web node in client mode may start before any silo: it answers not-ready until it reaches the cluster.</summary>
public sealed class ClientModeReadinessTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task A_web_node_started_before_any_silo_is_not_ready_until_a_silo_starts()
    {
        await using var cluster = await PortalCluster.StartAsync("readiness", silos: 1, web: false, output, start: false);
        cluster.StartWeb();
        await cluster.WaitForOkAsync("web", new Uri(cluster.WebUri, "/health/live"), () => cluster.Web);

        // Up and answering, but with no silo there is no cluster to be ready with: still not ready after the web
        // has logged a second failed attempt to connect (it keeps trying rather than giving up).
        await Eventually.UntilAsync(
            async () => (await cluster.ReadLogAsync("web")).Contains("Connecting to the Orleans cluster failed (attempt 2)", StringComparison.Ordinal),
            "the web to log its second failed attempt to reach the cluster");
        using (var notReady = await cluster.Http.GetAsync(new Uri(cluster.WebUri, "/health/ready")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }

        var silo = cluster.Silos[0];
        cluster.StartSilo(silo);
        await cluster.WaitUntilSiloReadyAsync(silo);
        await cluster.WaitUntilWebReadyAsync();
        cluster.Log("web ready after the silo started");

        var driver = new StaffApiDriver(cluster.Api);
        var created = await driver.CommandAsync("create client", "/api/clients", new { name = "Late Silo Ltd", email = "late@example.com" }, HttpStatusCode.Created);
        var id = created!["id"]!.GetValue<string>();
        Assert.Equal("Late Silo Ltd", (await driver.GetAsync($"/api/clients/{id}"))["name"]!.GetValue<string>());
    }
}
