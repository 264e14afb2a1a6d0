using System.Net;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    [Trait("Category", "Security")]
    public async Task A_log_longer_than_the_project_keeps_lists_in_pages_and_verifies_across_its_archived_segments()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        await RecordEditsAsync(fixture.Host, projectId, 130);

        var log = (await Api.GetOkAsync($"/api/projects/{projectId}/activity")).AsArray();
        Assert.Equal(Enumerable.Range(1, 130).Select(i => (long)i), log.Select(e => e!["sequence"]!.GetValue<long>()));
        Assert.Equal(new string('0', 64), log[0]!.Str("previousHash"));
        Assert.All(Enumerable.Range(1, 129), i => Assert.Equal(log[i - 1]!.Str("hash"), log[i]!.Str("previousHash")));

        var verify = await Api.GetOkAsync($"/api/projects/{projectId}/activity/verify");
        Assert.True(verify["ok"]!.GetValue<bool>(), verify["problem"]?.ToString());
        Assert.Equal(130, verify["entries"]!.GetValue<int>());
        Assert.Equal(log[129]!.Str("hash"), verify.Str("headHash"));

        // A page that crosses from one archived segment to the next says where the next page starts.
        using var page = await Api.GetAsync($"/api/projects/{projectId}/activity?after=45&limit=10");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(Enumerable.Range(46, 10).Select(i => (long)i), (await page.ReadJsonAsync()).AsArray().Select(e => e!["sequence"]!.GetValue<long>()));
        Assert.Equal($"</api/projects/{projectId}/activity?after=55&limit=10>; rel=\"next\"", page.Headers.GetValues("Link").Single());
        using var last = await Api.GetAsync($"/api/projects/{projectId}/activity?after=125&limit=10");
        Assert.Equal(5, (await last.ReadJsonAsync()).AsArray().Count);
        Assert.False(last.Headers.Contains("Link"));

        await (await Api.GetAsync($"/api/projects/{projectId}/activity?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.GetAsync($"/api/projects/{projectId}/activity?limit=5000")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.GetAsync($"/api/projects/{projectId}/activity?after=-1")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>Staff edits straight on the project grain: neither emailed nor in the feed, so only the log grows.</summary>
    internal static async Task RecordEditsAsync(PortalTestHost host, Guid projectId, int count)
    {
        var project = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(projectId);
        for (var i = 0; i < count; i++)
        {
            await project.RecordActivity(new ActivityInput(
                Guid.NewGuid(), ActivityTypes.ProposalEdited, DateTimeOffset.UtcNow, Actor.Staff, Guid.NewGuid(), "Q-0001", DocumentKind.Quote,
                null, null, $"edit {i}"));
        }
    }
}
