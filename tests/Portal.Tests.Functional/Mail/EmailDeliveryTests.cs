using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional.Mail;

/// <summary>Delivery failures as staff see them: a 451 retried once, a 550 recorded, an unsafe header refused.</summary>
[Collection(MailCollection.Name)]
public sealed class EmailDeliveryTests(MailHostFixture fixture)
{
    private HttpClient Api => fixture.Host.Api;

    [Fact]
    public async Task A_451_is_retried_and_the_message_is_delivered_exactly_once()
    {
        var email = MailApi.UniqueEmail();
        fixture.Smtp.Script(email, TestSmtpServer.TryLater);
        var clientId = await Api.CreateClientAsync("Jane Smith", email);
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, _) = await Api.CreateQuoteAsync(projectId);

        var messageId = Guid.Parse((await Api.SendAsync("proposals", quoteId)).Str("messageId"));
        var message = await Api.WaitForMessageStatusAsync(projectId, messageId, "sent");

        Assert.Equal(2, message["attempts"]!.GetValue<int>());
        var history = message["history"]!.AsArray();
        Assert.Equal(["retry", "accepted"], history.Select(a => a!.Str("outcome")));
        Assert.Contains("451", history[0]!.Str("detail"));
        Assert.Equal(2, fixture.Smtp.OfferedTo(email));
        var received = Assert.Single(fixture.Smtp.ReceivedFor(email));
        Assert.Equal(message.Str("messageId"), received.Message.MessageId);
    }

    [Fact]
    public async Task A_550_is_recorded_as_failed_and_shown_to_staff()
    {
        var email = MailApi.UniqueEmail();
        fixture.Smtp.Script(email, TestSmtpServer.NoSuchUser);
        var clientId = await Api.CreateClientAsync("Jane Smith", email);
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (invoiceId, _) = await Api.CreateInvoiceAsync(projectId);

        var sent = await Api.SendAsync("invoices", invoiceId);
        var messageId = Guid.Parse(sent.Str("messageId"));
        var failed = await Api.WaitForMessageStatusAsync(projectId, messageId, "failed");

        Assert.Contains("550", failed.Str("lastError"));
        Assert.Equal(1, failed["attempts"]!.GetValue<int>());
        Assert.NotNull(failed["failedAt"]?.GetValue<DateTimeOffset>());
        Assert.Equal(email, failed.Str("to"));
        var single = await Api.GetOkAsync($"/api/messages/{messageId}");
        Assert.Equal("failed", single.Str("status"));

        // Failed is final: the message leaves the outbox, so nothing will try it again. Only then count the offers.
        await MailApi.UntilLeftTheOutboxAsync(fixture.Host, messageId);
        Assert.Equal("failed", (await Api.GetOkAsync($"/api/messages/{messageId}")).Str("status"));
        Assert.Equal(1, fixture.Smtp.OfferedTo(email));
        Assert.Empty(fixture.Smtp.ReceivedFor(email));
        // The document stays sent: the failure is the email's, shown next to it.
        Assert.Equal("sent", (await Api.GetOkAsync($"/api/invoices/{invoiceId}")).Str("status"));
    }

    [Fact]
    public async Task Line_breaks_in_header_values_are_refused_with_400_and_nothing_is_stored_or_sent()
    {
        // From staff input: the company name and the client's name.
        using (var company = await Api.PutAsJsonAsync("/api/company", new { name = "Brightwater\r\nBcc: victim@example.com" }))
        {
            var problem = await company.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
            Assert.NotNull(problem["errors"]?["name"]);
        }
        Assert.Equal("Brightwater Renovations Ltd", (await Api.GetOkAsync("/api/company")).Str("name"));
        using (var client = await Api.PostAsJsonAsync("/api/clients", new { name = "Jane\r\nBcc: victim@example.com", email = MailApi.UniqueEmail() }))
        {
            await client.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        }

        // A value that got in another way is still refused when a send would put it into a header.
        var email = MailApi.UniqueEmail();
        var clientId = await Api.CreateClientAsync("Jane Smith", email);
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, _) = await Api.CreateQuoteAsync(projectId);
        var grains = fixture.Host.Services.GetRequiredService<IGrainFactory>();
        var companyId = (await Api.GetOkAsync("/api/company")).Id();
        await grains.GetGrain<ICompanyGrain>(companyId).UpdateSettings(new CompanySettings { Name = "Brightwater\r\nBcc: victim@example.com" });
        try
        {
            using var send = await Api.PostAsync($"/api/proposals/{quoteId}/send", null);
            var problem = await send.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.mail_header");
            Assert.Contains("company name", problem.Str("detail"));
        }
        finally
        {
            await grains.GetGrain<ICompanyGrain>(companyId).UpdateSettings(new CompanySettings { Name = "Brightwater Renovations Ltd" });
        }

        Assert.Equal("draft", (await Api.GetOkAsync($"/api/proposals/{quoteId}")).Str("status"));
        Assert.Empty(await Api.MessagesAsync(projectId));

        // With the name repaired the same quote goes out; once that email has arrived, one queued by the refused
        // send (earlier) would have been offered too.
        var messageId = Guid.Parse((await Api.SendAsync("proposals", quoteId)).Str("messageId"));
        var sent = await Api.WaitForMessageStatusAsync(projectId, messageId, "sent");
        Assert.Equal(sent.Str("messageId"), (await fixture.Smtp.WaitForAsync(email)).Message.MessageId);
        Assert.Single(await Api.MessagesAsync(projectId));
        Assert.Equal(1, fixture.Smtp.OfferedTo(email));
    }
}
