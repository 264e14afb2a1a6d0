using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Portal.Tests.Cluster.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>
/// Three silo processes and a web process in client mode on PostgreSQL. Staff API traffic runs from several callers
/// while one silo is killed with SIGKILL and later restarted: nothing acknowledged is lost, the cluster keeps
/// serving, and the restarted silo rejoins.
/// </summary>
public sealed class SiloFailoverTests(ITestOutputHelper output)
{
    private const int Callers = 4;
    private static readonly TimeSpan TestBudget = TimeSpan.FromSeconds(150);

    [PostgresFact]
    public async Task Killing_a_silo_loses_no_acknowledged_write_and_the_restarted_silo_rejoins()
    {
        await using var cluster = await PortalCluster.StartAsync("failover", silos: 3, web: true, output);
        var driver = new StaffApiDriver(cluster.Api);
        var acknowledged = new Acknowledged();
        var chains = new ChainCounter();
        var budget = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();

        var callers = Enumerable.Range(1, Callers)
            .Select(caller => Task.Run(() => RunCallerAsync(caller, driver, acknowledged, chains, stop.Token)))
            .ToArray();

        // Warm up: as many whole chains as callers, so grains are spread over the three silos.
        await WaitForAsync("warm-up chains", () => chains.Completed >= Callers, callers, budget);

        // The victim is the silo hosting the company grain: every create in the workload passes through it.
        var victim = await FindSiloHostingTheCompanyAsync(cluster, driver) ?? cluster.Silos[1];
        var generations = await cluster.Database.ReadMembershipAsync(cluster.ClusterId);
        var victimGeneration = generations.Single(m => m.Port == victim.SiloPort).Generation;
        var killedAt = Stopwatch.StartNew();
        var chainsAtKill = chains.Completed;
        await cluster.KillSiloAsync(victim);

        // The cluster notices on its own: the other silos vote the victim dead.
        await WaitForAsync("the killed silo declared dead", async () =>
            (await cluster.Database.ReadMembershipAsync(cluster.ClusterId))
                .Any(m => m.Port == victim.SiloPort && m.Generation == victimGeneration && m.Status == ClusterDatabase.DeadStatus),
            callers, budget);
        cluster.Log($"{victim.Name} declared dead {killedAt.Elapsed.TotalSeconds:F1}s after the kill; {chains.Completed - chainsAtKill} chains completed meanwhile");

        // The two survivors keep serving: every caller completes more chains after the death was declared.
        var chainsAtDeath = chains.Completed;
        await WaitForAsync("chains on the two remaining silos", () => chains.Completed >= chainsAtDeath + (Callers * 2), callers, budget);
        cluster.Log($"served on two silos: {chains.Completed - chainsAtDeath} chains");

        // The restarted silo rejoins on the same endpoint with a new generation.
        cluster.StartSilo(victim);
        await cluster.WaitUntilSiloReadyAsync(victim);
        await WaitForAsync("the restarted silo active in the membership table", async () =>
            (await cluster.Database.ReadMembershipAsync(cluster.ClusterId))
                .Any(m => m.Port == victim.SiloPort && m.Generation > victimGeneration && m.Status == ClusterDatabase.ActiveStatus),
            callers, budget);
        var chainsAtRejoin = chains.Completed;
        await WaitForAsync("chains after the rejoin", () => chains.Completed >= chainsAtRejoin + (Callers * 2), callers, budget);
        cluster.Log($"rejoined; {chains.Completed - chainsAtRejoin} chains since");

        await stop.CancelAsync();
        await Task.WhenAll(callers);
        cluster.Log($"{chains.Completed} chains, {acknowledged.Count} acknowledged operations, {driver.TransientFailures} transient failures retried");
        foreach (var reason in driver.TransientReasons.Take(15))
        {
            cluster.Log($"  transient: {reason}");
        }

        var membership = await cluster.Database.ReadMembershipAsync(cluster.ClusterId);
        Assert.Equal(3, membership.Count(m => m.Status == ClusterDatabase.ActiveStatus));
        Assert.Contains(membership, m => m.Port == victim.SiloPort && m.Generation == victimGeneration && m.Status == ClusterDatabase.DeadStatus);

        // The restarted silo serves requests that enter the cluster through its own gateway.
        var throughRestarted = await cluster.ConnectClientAsync(victim);
        foreach (var invoiceId in acknowledged.Invoices.Keys.Take(20))
        {
            var invoice = await throughRestarted.GetGrain<IInvoiceGrain>(invoiceId).Get();
            Assert.Equal(invoiceId, invoice.Id);
        }

        await VerifyEverythingAcknowledgedIsPresentAsync(driver, acknowledged);
        await VerifyEveryIndexIsCompleteAsync(throughRestarted, driver, acknowledged, callers, budget);
        cluster.Log($"verified {acknowledged.Count} acknowledged operations and the indexes that list them");
    }

    private static async Task RunCallerAsync(int caller, StaffApiDriver api, Acknowledged acknowledged, ChainCounter chains, CancellationToken stop)
    {
        for (var chain = 1; !stop.IsCancellationRequested; chain++)
        {
            var name = $"Client {caller}-{chain}";
            var client = await api.CommandAsync("create client", "/api/clients",
                new { name, email = $"c{caller}-{chain}@example.com" }, HttpStatusCode.Created);
            var clientId = Id(client!);
            acknowledged.Clients[clientId] = name;

            var title = $"Project {caller}-{chain}";
            var project = await api.CommandAsync("create project", "/api/projects", new { clientId, title }, HttpStatusCode.Created);
            var projectId = Id(project!);
            acknowledged.Projects[projectId] = title;
            acknowledged.Owners[projectId] = clientId;

            var lines = new[] { new { description = "Labour", quantity = 2m, unitPrice = 50m, vatRate = 20m } };
            var proposal = await api.CommandAsync("create proposal", $"/api/projects/{projectId}/proposals",
                new { kind = "quote", validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)), lines }, HttpStatusCode.Created);
            var proposalId = Id(proposal!);
            acknowledged.Proposals[proposalId] = false;
            acknowledged.Owners[proposalId] = projectId;

            await api.CommandAsync("send proposal", $"/api/proposals/{proposalId}/send", null, HttpStatusCode.OK,
                applied: async () => Status(await api.GetAsync($"/api/proposals/{proposalId}")) != "draft");
            acknowledged.Proposals[proposalId] = true;

            var invoice = await api.CommandAsync("create invoice", $"/api/projects/{projectId}/invoices",
                new { dueDate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)), lines }, HttpStatusCode.Created);
            var invoiceId = Id(invoice!);
            acknowledged.Invoices[invoiceId] = false;
            acknowledged.Owners[invoiceId] = projectId;

            await api.CommandAsync("send invoice", $"/api/invoices/{invoiceId}/send", null, HttpStatusCode.OK,
                applied: async () => Status(await api.GetAsync($"/api/invoices/{invoiceId}")) != "draft");
            acknowledged.Invoices[invoiceId] = true;

            // Two part payments of the £120 invoice; a retry carries the same payment id, so it is recorded once.
            foreach (var amount in new[] { 40m, 30m })
            {
                var paymentId = Guid.NewGuid();
                await api.CommandAsync("record payment", $"/api/invoices/{invoiceId}/payments",
                    new { amount, method = "bank_transfer", reference = $"BT {caller}-{chain}", paymentId }, HttpStatusCode.Created);
                acknowledged.Payments[paymentId] = (invoiceId, amount);
            }

            chains.Complete();
        }
    }

    private static async Task VerifyEverythingAcknowledgedIsPresentAsync(StaffApiDriver api, Acknowledged acknowledged)
    {
        // Read back in parallel: hundreds of GETs one by one would dominate the test's time.
        var reads = new ParallelOptions { MaxDegreeOfParallelism = 8 };
        await Parallel.ForEachAsync(acknowledged.Clients, reads, async (client, _) =>
            Assert.Equal(client.Value, (await api.GetAsync($"/api/clients/{client.Key}"))["name"]!.GetValue<string>()));

        await Parallel.ForEachAsync(acknowledged.Projects, reads, async (project, _) =>
            Assert.Equal(project.Value, (await api.GetAsync($"/api/projects/{project.Key}"))["title"]!.GetValue<string>()));

        await Parallel.ForEachAsync(acknowledged.Proposals, reads, async (proposal, _) =>
        {
            var (id, sent) = proposal;
            var status = Status(await api.GetAsync($"/api/proposals/{id}"));
            Assert.True(sent ? status is "sent" or "viewed" : status is "draft" or "sent", $"proposal {id} is {status}");
        });

        var paymentsByInvoice = acknowledged.Payments.GroupBy(p => p.Value.InvoiceId).ToDictionary(g => g.Key, g => g.ToList());
        await Parallel.ForEachAsync(acknowledged.Invoices, reads, async (entry, _) =>
        {
            var (id, sent) = entry;
            var invoice = await api.GetAsync($"/api/invoices/{id}");
            var status = Status(invoice);
            Assert.True(!sent || status != "draft", $"invoice {id} was sent but is {status}");

            var expected = paymentsByInvoice.GetValueOrDefault(id) ?? [];
            var recorded = invoice["payments"]!.AsArray().Select(p => (Id: Guid.Parse(p!["id"]!.GetValue<string>()), Amount: p["amount"]!.GetValue<decimal>())).ToList();
            foreach (var payment in expected)
            {
                // Present, and exactly once: a retried payment id was never applied twice.
                Assert.Equal(payment.Value.Amount, Assert.Single(recorded, r => r.Id == payment.Key).Amount);
            }

            Assert.Equal(expected.Sum(p => p.Value.Amount), invoice["amountPaid"]!.GetValue<decimal>());
        });
    }

    /// <summary>
    /// Notifications a killed silo owed (a project to its client's "All Projects" and its company, a document to its
    /// project) are made by the owing grains' retry reminders: every acknowledged item is listed where people look.
    /// </summary>
    private static async Task VerifyEveryIndexIsCompleteAsync(IClusterClient grains, StaffApiDriver api, Acknowledged acknowledged, Task[] callers, Stopwatch budget)
    {
        var companyId = Id(await api.GetAsync("/api/company"));
        var projectsOfClients = acknowledged.Projects.Keys.GroupBy(p => acknowledged.Owners[p]).ToList();
        var documentsOfProjects = acknowledged.Proposals.Keys.Concat(acknowledged.Invoices.Keys).GroupBy(d => acknowledged.Owners[d]).ToList();
        var missing = "";
        await WaitForAsync("every acknowledged item in its indexes", async () =>
        {
            var companyProjects = (await grains.GetGrain<ICompanyGrain>(companyId).GetProjectIds()).ToHashSet();
            var notInCompany = acknowledged.Projects.Keys.Where(p => !companyProjects.Contains(p)).ToList();
            var notOnClients = new List<Guid>();
            foreach (var group in projectsOfClients)
            {
                var listed = await grains.GetGrain<IClientGrain>(group.Key).GetProjects();
                var ids = listed.Open.Concat(listed.Complete).Select(p => p.ProjectId).ToHashSet();
                notOnClients.AddRange(group.Where(p => !ids.Contains(p)));
            }
            var notOnProjects = new List<Guid>();
            foreach (var group in documentsOfProjects)
            {
                var project = await grains.GetGrain<IProjectGrain>(group.Key).Get();
                var ids = project.Proposals.Select(p => p.Id).Concat(project.Invoices.Select(i => i.Id)).ToHashSet();
                notOnProjects.AddRange(group.Where(d => !ids.Contains(d)));
            }
            missing = $"{notInCompany.Count} projects not in the company, {notOnClients.Count} not on their client's All Projects, {notOnProjects.Count} documents not on their project";
            return notInCompany.Count == 0 && notOnClients.Count == 0 && notOnProjects.Count == 0;
        }, callers, budget);
    }

    private static async Task<SiloNode?> FindSiloHostingTheCompanyAsync(PortalCluster cluster, StaffApiDriver api)
    {
        var companyId = Id(await api.GetAsync("/api/company"));
        var client = await cluster.ConnectClientAsync();
        var address = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(client.GetGrain<ICompanyGrain>(companyId));
        var silo = cluster.Silos.FirstOrDefault(s => s.SiloPort == address?.Endpoint.Port);
        cluster.Log($"company grain {companyId} is on {address?.ToString() ?? "no silo"} ({silo?.Name ?? "unknown"})");
        return silo;
    }

    /// <summary>Polls until the condition holds; fails at once if a caller failed, and when the test's budget is spent.</summary>
    private static Task WaitForAsync(string what, Func<bool> condition, Task[] callers, Stopwatch budget) =>
        WaitForAsync(what, () => Task.FromResult(condition()), callers, budget);

    private static Task WaitForAsync(string what, Func<Task<bool>> condition, Task[] callers, Stopwatch budget) =>
        Eventually.UntilAsync(
            async () =>
            {
                if (callers.FirstOrDefault(c => c.IsFaulted) is { } failed)
                {
                    await failed;
                }

                return await condition();
            },
            $"{what} within the test's budget of {TestBudget}",
            TestBudget - budget.Elapsed);

    private static Guid Id(JsonNode node) => Guid.Parse(node["id"]!.GetValue<string>());

    private static string Status(JsonNode node) => node["status"]!.GetValue<string>();

    private sealed class ChainCounter
    {
        private int _completed;

        public int Completed => Volatile.Read(ref _completed);

        public void Complete() => Interlocked.Increment(ref _completed);
    }
}
