using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

public sealed class RestartTests
{
    [Fact]
    public async Task Everything_written_through_the_api_survives_a_restart_on_the_same_data_directory()
    {
        var dataDirectory = PortalTestHost.NewDataDirectory();
        Guid clientId, projectId, quoteId, invoiceId;
        int projectNumber;
        string quoteNumber;

        await using (var first = await PortalTestHost.StartAsync(dataDirectory))
        {
            clientId = await first.Api.CreateClientAsync();
            (projectId, projectNumber) = await first.Api.CreateProjectAsync(clientId);
            (quoteId, quoteNumber) = await first.Api.CreateQuoteAsync(projectId);
            await first.Api.SendAsync("proposals", quoteId);
            (invoiceId, _) = await first.Api.CreateInvoiceAsync(projectId);
            await first.Api.SendAsync("invoices", invoiceId);
            await first.Api.PostOkAsync($"/api/invoices/{invoiceId}/payments", new { amount = 100m, method = "bank_transfer" });
        }

        await using var second = await PortalTestHost.StartAsync(dataDirectory);
        var project = await second.Api.GetOkAsync($"/api/projects/{projectId}");
        Assert.Equal(projectNumber, project["number"]!.GetValue<int>());
        var quote = await second.Api.GetOkAsync($"/api/proposals/{quoteId}");
        Assert.Equal(quoteNumber, quote.Str("number"));
        Assert.Equal("sent", quote.Str("status"));
        var invoice = await second.Api.GetOkAsync($"/api/invoices/{invoiceId}");
        Assert.Equal("partially_paid", invoice.Str("status"));
        Assert.Equal(100m, invoice.Dec("amountPaid"));

        // Sequences continue rather than restart.
        var (_, nextNumber) = await second.Api.CreateProjectAsync(clientId);
        Assert.Equal(projectNumber + 1, nextNumber);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task An_activity_log_split_into_segments_survives_a_restart_whole_and_verifiable()
    {
        var dataDirectory = PortalTestHost.NewDataDirectory();
        Guid projectId;
        string headHash;

        await using (var first = await PortalTestHost.StartAsync(dataDirectory))
        {
            (projectId, _) = await first.Api.CreateProjectAsync(await first.Api.CreateClientAsync());
            await ActivityApiTests.RecordEditsAsync(first, projectId, 130);
            headHash = (await first.Api.GetOkAsync($"/api/projects/{projectId}/activity/verify")).Str("headHash");
        }

        await using var second = await PortalTestHost.StartAsync(dataDirectory);
        var log = (await second.Api.GetOkAsync($"/api/projects/{projectId}/activity")).AsArray();
        Assert.Equal(Enumerable.Range(1, 130).Select(i => (long)i), log.Select(e => e!["sequence"]!.GetValue<long>()));
        var verify = await second.Api.GetOkAsync($"/api/projects/{projectId}/activity/verify");
        Assert.True(verify["ok"]!.GetValue<bool>(), verify["problem"]?.ToString());
        Assert.Equal(130, verify["entries"]!.GetValue<int>());
        Assert.Equal(headHash, verify.Str("headHash"));
    }
}
