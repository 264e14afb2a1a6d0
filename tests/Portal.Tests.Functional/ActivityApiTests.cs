using System.Net;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

[Collection(PortalCollection.Name)]
public sealed class ActivityApiTests(PortalHostFixture fixture)
{
    private HttpClient Api => fixture.Host.Api;

    [Fact]
    public async Task The_activity_log_lists_what_happened_and_verifies()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, quoteNumber) = await Api.CreateQuoteAsync(projectId);
        await Api.SendAsync("proposals", quoteId);
        var (invoiceId, _) = await Api.CreateInvoiceAsync(projectId);
        await Api.SendAsync("invoices", invoiceId);
        await Api.PostOkAsync($"/api/invoices/{invoiceId}/payments", new { amount = 100.00m, method = "cash" });

        var log = (await Api.GetOkAsync($"/api/projects/{projectId}/activity")).AsArray();
        Assert.Equal(["proposal.sent", "invoice.sent", "invoice.payment_succeeded"], log.Select(e => e!.Str("type")));
        Assert.Equal(quoteNumber, log[0]!.Str("documentNumber"));
        Assert.Equal(1, log[0]!["sequence"]!.GetValue<long>());
        Assert.Equal(new string('0', 64), log[0]!.Str("previousHash"));
        Assert.Equal(log[0]!.Str("hash"), log[1]!.Str("previousHash"));
        Assert.Equal(100.00m, log[2]!.Dec("amount"));

        var verify = await Api.GetOkAsync($"/api/projects/{projectId}/activity/verify");
        Assert.True(verify["ok"]!.GetValue<bool>());
        Assert.Equal(3, verify["entries"]!.GetValue<int>());
        Assert.Equal(log[2]!.Str("hash"), verify.Str("headHash"));
    }

    [Fact]
    public async Task Activity_of_an_unknown_project_is_404_and_needs_the_api_key()
    {
        var missing = await Api.GetAsync($"/api/projects/{Guid.NewGuid()}/activity");
        await missing.AssertProblemAsync(HttpStatusCode.NotFound);

        using var anonymous = new HttpClient { BaseAddress = Api.BaseAddress };
        var refused = await anonymous.GetAsync($"/api/projects/{Guid.NewGuid()}/activity/verify");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
