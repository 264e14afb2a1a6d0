using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>Staff can see every link a client was given (emailed or handed over) and take them all back.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalLinkRevocationTests(PortalHostFixture fixture)
{
    private HttpClient Api => fixture.Host.Api;

    private async Task<JsonArray> LinksOfAsync(Guid clientId) => (await Api.GetOkAsync($"/api/clients/{clientId}/portal-links")).AsArray();

    [Trait("Category", "Security")]
    [Fact]
    public async Task Every_send_answers_its_link_id_and_the_client_lists_that_link_without_its_token()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, _) = await Api.CreateQuoteAsync(projectId);
        var (invoiceId, _) = await Api.CreateInvoiceAsync(projectId);
        var quoteSend = await Api.SendAsync("proposals", quoteId);
        var invoiceSend = await Api.SendAsync("invoices", invoiceId);
        var handed = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);

        var links = await LinksOfAsync(clientId);
        Assert.Equal(3, links.Count);
        var quoteLink = Assert.Single(links, l => l!.Id() == Guid.Parse(quoteSend.Str("linkId")))!;
        Assert.Equal("proposal", quoteLink["target"]!.Str("kind"));
        Assert.Equal(quoteId, Guid.Parse(quoteLink["target"]!.Str("id")));
        Assert.Equal("email", quoteLink.Str("origin"));
        Assert.Equal("active", quoteLink.Str("status"));
        Assert.True(DateTimeOffset.Parse(quoteLink.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture)
            > DateTimeOffset.Parse(quoteLink.Str("issuedAt"), System.Globalization.CultureInfo.InvariantCulture));
        var invoiceLink = Assert.Single(links, l => l!.Id() == Guid.Parse(invoiceSend.Str("linkId")))!;
        Assert.Equal("invoice", invoiceLink["target"]!.Str("kind"));
        Assert.Equal("email", invoiceLink.Str("origin"));
        var handedLink = Assert.Single(links, l => l!.Id() == handed.Id())!;
        Assert.Equal("all_projects", handedLink["target"]!.Str("kind"));
        Assert.Equal("staff", handedLink.Str("origin"));

        // Neither the tokens nor their hashes are in the list.
        var listed = links.ToJsonString();
        foreach (var url in new[] { quoteSend.Str("portalUrl"), invoiceSend.Str("portalUrl"), handed.Str("url") })
        {
            var token = url.Split("/p/")[1];
            Assert.DoesNotContain(token, listed, StringComparison.Ordinal);
            Assert.DoesNotContain(Portal.Web.Links.PortalLinkIssuer.HashToken(token), listed, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Trait("Category", "Security")]
    [Fact]
    public async Task Revoking_all_of_a_clients_links_ends_open_portal_sessions_and_lists_them_as_revoked()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, _) = await Api.CreateQuoteAsync(projectId);
        var emailed = (await Api.SendAsync("proposals", quoteId)).Str("portalUrl");
        var handed = (await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null)).Str("url");
        // Another client's link must survive.
        var otherClient = await Api.CreateClientAsync(name: "Other Client");
        var otherLink = (await Api.PostOkAsync($"/api/clients/{otherClient}/portal-links", null)).Str("url");

        using var emailedBrowser = new PortalBrowser(fixture.Host);
        await emailedBrowser.EnterAsync(emailed);
        using var handedBrowser = new PortalBrowser(fixture.Host);
        await handedBrowser.EnterAsync(handed);
        using var otherBrowser = new PortalBrowser(fixture.Host);
        await otherBrowser.EnterAsync(otherLink);
        Assert.Equal(HttpStatusCode.OK, (await emailedBrowser.GetAsync($"/portal/proposals/{quoteId}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await handedBrowser.GetAsync($"/portal/projects/{projectId}")).Status);

        // A live page open through the handed-over link, and one of the other client's.
        await using var livePage = await LivePortalPage.OpenAsync(fixture.Host.BaseUri, handedBrowser.Cookies);
        await livePage.WatchAsync(projectId);
        await using var otherPage = await LivePortalPage.OpenAsync(fixture.Host.BaseUri, otherBrowser.Cookies);

        var revoked = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links/revoke", null, HttpStatusCode.OK);
        Assert.Equal(2, revoked["revoked"]!.GetValue<int>());

        await livePage.Withdrawn.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Connected, otherPage.Connection.State);

        var afterEmailed = await emailedBrowser.GetAsync($"/portal/proposals/{quoteId}");
        Assert.Equal(HttpStatusCode.Unauthorized, afterEmailed.Status);
        Assert.Contains("new link", afterEmailed.Body);
        var afterHanded = await handedBrowser.GetAsync($"/portal/projects/{projectId}");
        Assert.Equal(HttpStatusCode.Unauthorized, afterHanded.Status);
        Assert.Contains("new link", afterHanded.Body);
        Assert.Equal(HttpStatusCode.Gone, (await emailedBrowser.GetAsync(new Uri(emailed).PathAndQuery)).Status);
        Assert.Equal(HttpStatusCode.OK, (await otherBrowser.GetAsync("/portal/projects")).Status);

        var links = await LinksOfAsync(clientId);
        Assert.Equal(2, links.Count);
        Assert.All(links, l =>
        {
            Assert.Equal("revoked", l!.Str("status"));
            Assert.NotNull(l!["revokedAt"]?.GetValue<string>());
        });
        Assert.Equal("active", Assert.Single(await LinksOfAsync(otherClient))!.Str("status"));

        // Nothing is left to revoke.
        var again = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links/revoke", null, HttpStatusCode.OK);
        Assert.Equal(0, again["revoked"]!.GetValue<int>());
    }

    [Trait("Category", "Security")]
    [Fact]
    public async Task Another_companys_or_an_unknown_client_answers_404_and_its_links_are_untouched()
    {
        var grains = fixture.Host.Services.GetRequiredService<IGrainFactory>();
        var foreignCompany = Guid.NewGuid();
        await grains.GetGrain<ICompanyGrain>(foreignCompany).Create("Another company");
        var foreignClient = Guid.NewGuid();
        await grains.GetGrain<IClientGrain>(foreignClient).Create(foreignCompany, new ClientDetails("Their Client", "their@example.com"));
        var foreignLink = Portal.Web.Links.PortalLinkIssuer.HashToken("foreign-" + Guid.NewGuid().ToString("N"));
        await grains.GetGrain<IPortalLinkGrain>(foreignLink).Issue(new IssuePortalLink(
            Guid.NewGuid(), foreignCompany, foreignClient, new LinkTarget(LinkTargetKind.AllProjects, null), DateTimeOffset.UtcNow.AddDays(1), PortalLinkOrigin.Staff));

        foreach (var client in new[] { foreignClient, Guid.NewGuid() })
        {
            using (var list = await Api.GetAsync($"/api/clients/{client}/portal-links"))
            {
                await list.AssertProblemAsync(HttpStatusCode.NotFound, "client.not_found");
            }
            using (var revoke = await Api.PostAsync($"/api/clients/{client}/portal-links/revoke", null))
            {
                await revoke.AssertProblemAsync(HttpStatusCode.NotFound, "client.not_found");
            }
        }
        Assert.Null((await grains.GetGrain<IPortalLinkGrain>(foreignLink).Get()).RevokedAt);
    }
}

/// <summary>The company's link index forgets links a day after they expire; it needs a portal with a clock of its own.</summary>
public sealed class PortalLinkPruningTests
{
    [Trait("Category", "Security")]
    [Fact]
    public async Task Expired_links_stay_listed_for_a_day_then_are_forgotten_and_still_let_no_one_in()
    {
        var clock = new ShiftedClock();
        await using var host = await PortalTestHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Portal:Links:Lifetime"] = "2.00:00:00" },
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        var clientId = await host.Api.CreateClientAsync();
        var old = await host.Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        clock.Advance(TimeSpan.FromHours(36));
        var live = await host.Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        async Task<IReadOnlyList<(string Id, string Status)>> ListAsync() =>
            [.. (await host.Api.GetOkAsync($"/api/clients/{clientId}/portal-links")).AsArray().Select(l => (l!.Str("id"), l!.Str("status")))];

        // Expired half a day ago: still listed, as expired.
        clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal([(live.Str("id"), "active"), (old.Str("id"), "expired")], await ListAsync());

        // Over a day after its expiry the old link is forgotten: not listed, and revoking it is "not found".
        clock.Advance(TimeSpan.FromHours(18));
        Assert.Equal([(live.Str("id"), "active")], await ListAsync());
        var revoke = await host.Api.DeleteAsync($"/api/portal-links/{old.Str("id")}");
        await revoke.AssertProblemAsync(HttpStatusCode.NotFound, RuleCodes.LinkNotFound);

        // Its token still lets no one in; the live link still does.
        using var http = host.CreateClient(followRedirects: false);
        using (var expired = await http.GetAsync(new Uri(old.Str("url")).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        }
        using (var valid = await http.GetAsync(new Uri(live.Str("url")).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.SeeOther, valid.StatusCode);
        }
    }
}
