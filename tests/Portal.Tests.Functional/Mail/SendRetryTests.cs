using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains;
using Portal.Silo.Mail;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional.Mail;

/// <summary>
/// Sending a proposal or invoice is one durable step: marking it sent, issuing its link and storing its email.
/// A failure injected after each step, then a retry (by staff, or by the document grain on its own), ends with
/// exactly one email, the status Sent, and a link in the email that opens the document.
/// </summary>
public sealed partial class SendRetryTests(SendRetryTests.Host fixture) : IClassFixture<SendRetryTests.Host>
{
    private PortalTestHost Portal => fixture.Portal;

    private FailingSteps Steps => fixture.Steps;

    public static TheoryData<DocumentSendStep> EverySteps => [DocumentSendStep.MarkedSent, DocumentSendStep.LinkIssued, DocumentSendStep.MailEnqueued];

    [Theory]
    [MemberData(nameof(EverySteps))]
    public async Task A_send_that_failed_after_a_step_is_finished_by_the_staff_retry_with_one_email_and_the_same_link(DocumentSendStep step)
    {
        var (email, projectId) = await NewProjectAsync();
        var (quoteId, _) = await Portal.Api.CreateQuoteAsync(projectId);

        // Failing until the test retries, so the grain's own retry cannot finish the send first.
        Steps.FailAfter(quoteId, step, times: int.MaxValue);
        using (var failed = await Portal.Api.PostAsync($"/api/proposals/{quoteId}/send", null))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }
        Assert.Equal("sent", (await Portal.Api.GetOkAsync($"/api/proposals/{quoteId}")).Str("status"));
        Steps.Stop(quoteId);

        var sent = await Portal.Api.SendAsync("proposals", quoteId);
        Assert.Equal("sent", sent.Str("status"));
        var messageId = Guid.Parse(sent.Str("messageId"));
        await Portal.Api.WaitForMessageStatusAsync(projectId, messageId, "sent");

        // Finished: another send is refused as today, and only then is "one email" counted.
        using (var again = await Portal.Api.PostAsync($"/api/proposals/{quoteId}/send", null))
        {
            await again.AssertProblemAsync(HttpStatusCode.Conflict, RuleCodes.ProposalNotSendable);
        }
        await AssertOneEmailAsync(projectId, quoteId, email, messageId, sent.Str("portalUrl"), $"/portal/proposals/{quoteId}");
    }

    [Theory]
    [MemberData(nameof(EverySteps))]
    public async Task A_send_that_failed_after_a_step_is_finished_by_the_document_itself_with_one_email(DocumentSendStep step)
    {
        var (email, projectId) = await NewProjectAsync();
        var (invoiceId, _) = await Portal.Api.CreateInvoiceAsync(projectId);

        Steps.FailAfter(invoiceId, step, times: 1);
        using (var failed = await Portal.Api.PostAsync($"/api/invoices/{invoiceId}/send", null))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        // Nobody retries: the invoice grain's timer takes the send past every step.
        await Eventually.UntilAsync(() => Steps.Finished(invoiceId), $"invoice {invoiceId} to finish its send by itself");
        using (var again = await Portal.Api.PostAsync($"/api/invoices/{invoiceId}/send", null))
        {
            await again.AssertProblemAsync(HttpStatusCode.Conflict, RuleCodes.InvoiceNotSendable);
        }
        Assert.Equal("sent", (await Portal.Api.GetOkAsync($"/api/invoices/{invoiceId}")).Str("status"));
        var message = Assert.Single(await DocumentMessagesAsync(projectId, invoiceId));
        await Portal.Api.WaitForMessageStatusAsync(projectId, message.Id(), "sent");
        var portalUrl = await AssertOneEmailAsync(projectId, invoiceId, email, message.Id(), null, $"/portal/invoices/{invoiceId}");
        Assert.Contains("/p/", portalUrl);
    }

    [Fact]
    public async Task Racing_retries_after_a_failure_finish_the_send_once()
    {
        var (email, projectId) = await NewProjectAsync();
        var (quoteId, _) = await Portal.Api.CreateQuoteAsync(projectId);
        Steps.FailAfter(quoteId, DocumentSendStep.LinkIssued, times: int.MaxValue);
        using (var failed = await Portal.Api.PostAsync($"/api/proposals/{quoteId}/send", null))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }
        Steps.Stop(quoteId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await Portal.Api.PostAsync($"/api/proposals/{quoteId}/send", null);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        // One retry finishes the stored send; the others find it finished and are refused as a second send.
        var ok = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.StatusCode);
            Assert.Contains(RuleCodes.ProposalNotSendable, a.Body);
        });
        var sent = System.Text.Json.Nodes.JsonNode.Parse(ok.Body)!;
        var messageId = Guid.Parse(sent.Str("messageId"));
        await Portal.Api.WaitForMessageStatusAsync(projectId, messageId, "sent");
        await AssertOneEmailAsync(projectId, quoteId, email, messageId, sent.Str("portalUrl"), $"/portal/proposals/{quoteId}");
    }

    private async Task<(string Email, Guid ProjectId)> NewProjectAsync()
    {
        var email = MailApi.UniqueEmail();
        var clientId = await Portal.Api.CreateClientAsync("Jane Smith", email);
        var (projectId, _) = await Portal.Api.CreateProjectAsync(clientId);
        return (email, projectId);
    }

    private async Task<List<System.Text.Json.Nodes.JsonNode>> DocumentMessagesAsync(Guid projectId, Guid documentId) =>
        [.. (await Portal.Api.MessagesAsync(projectId)).Select(m => m!).Where(m => m["documentId"]?.GetValue<string>() == documentId.ToString())];

    /// <summary>
    /// One message for the document in the outbox and one email to the client in the mailbox, whose link is the
    /// one the send answered (when known) and opens the document. Returns that link.
    /// </summary>
    private async Task<string> AssertOneEmailAsync(Guid projectId, Guid documentId, string email, Guid messageId, string? portalUrl, string landing)
    {
        Assert.Equal(messageId, Assert.Single(await DocumentMessagesAsync(projectId, documentId)).Id());

        var mailbox = Portal.Services.GetRequiredService<DevMailbox>();
        var entry = Assert.Single(await mailbox.ListAsync(CancellationToken.None), e => e.To?.Contains(email, StringComparison.OrdinalIgnoreCase) == true);
        var (_, message) = (await mailbox.FindAsync(entry.Id, CancellationToken.None))!.Value;
        var link = Assert.Single(PortalLinkPattern().Matches(message.HtmlBody ?? "").Select(m => m.Groups["url"].Value).Distinct());
        if (portalUrl is not null)
        {
            Assert.Equal(portalUrl, link);
        }

        using var browser = new PortalBrowser(Portal);
        Assert.Equal(landing, await browser.EnterAsync(link));
        return link;
    }

    [GeneratedRegex("href=\"(?<url>https?://[^\"]+/p/[^\"]+)\"")]
    private static partial Regex PortalLinkPattern();

    /// <summary>Throws after a chosen step of a chosen document's send, a number of times; counts finished sends.</summary>
    public sealed class FailingSteps : IDocumentSendObserver
    {
        private readonly ConcurrentDictionary<Guid, (DocumentSendStep Step, int Remaining)> _failures = new();
        private readonly ConcurrentDictionary<Guid, int> _finished = new();

        public void FailAfter(Guid documentId, DocumentSendStep step, int times) => _failures[documentId] = (step, times);

        public void Stop(Guid documentId) => _failures.TryRemove(documentId, out _);

        /// <summary>True once a send of the document has passed its last step without a failure.</summary>
        public bool Finished(Guid documentId) => _finished.GetValueOrDefault(documentId) > 0;

        public void Passed(Guid documentId, DocumentSendStep step)
        {
            while (_failures.TryGetValue(documentId, out var failure) && failure.Step == step && failure.Remaining > 0)
            {
                if (_failures.TryUpdate(documentId, (step, failure.Remaining - 1), failure))
                {
                    throw new InvalidOperationException($"Injected failure after {step} of the send of {documentId}.");
                }
            }
            if (step == DocumentSendStep.MailEnqueued)
            {
                _finished.AddOrUpdate(documentId, 1, (_, count) => count + 1);
            }
        }
    }

    /// <summary>One portal for the class, whose document grains report their send steps to <see cref="Steps"/>.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public FailingSteps Steps { get; } = new();

        public PortalTestHost Portal { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Portal = await PortalTestHost.StartAsync(configure: b => b.Services.AddSingleton<IDocumentSendObserver>(Steps));

        public async Task DisposeAsync()
        {
            if (Portal is not null)
            {
                await Portal.DisposeAsync();
            }
        }
    }
}
