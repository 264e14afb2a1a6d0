using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional.Mail;

/// <summary>What the client receives when staff send something, through a real SMTP conversation on loopback.</summary>
[Collection(MailCollection.Name)]
public sealed class EmailContentTests(MailHostFixture fixture)
{
    private HttpClient Api => fixture.Host.Api;

    private async Task<(Guid ClientId, Guid ProjectId, int Number, string Email)> ClientWithProjectAsync(string name = "Jane Smith")
    {
        var email = MailApi.UniqueEmail();
        var clientId = await Api.CreateClientAsync(name, email);
        var (projectId, number) = await Api.CreateProjectAsync(clientId);
        return (clientId, projectId, number, email);
    }

    [Fact]
    public async Task Sending_a_quote_puts_one_message_in_the_smtp_server_with_button_plain_url_logo_and_footer()
    {
        var (_, projectId, number, email) = await ClientWithProjectAsync();
        var (quoteId, quoteNumber) = await Api.CreateQuoteAsync(projectId);

        var sent = await Api.SendAsync("proposals", quoteId);
        var portalUrl = sent.Str("portalUrl");
        var messageId = Guid.Parse(sent.Str("messageId"));
        Assert.Equal("sent", sent.Str("status"));

        var mail = await fixture.Smtp.WaitForAsync(email);
        Assert.Equal($"Quote {quoteNumber} from Brightwater Renovations Ltd", mail.Message.Subject);
        var from = Assert.Single(mail.Message.From.Mailboxes);
        Assert.Equal(("Brightwater Renovations Ltd", MailHostFixture.From), (from.Name, from.Address));
        Assert.Equal("hello@brightwater.example", Assert.Single(mail.Message.ReplyTo.Mailboxes).Address);
        Assert.Equal(("Jane Smith", email), (Assert.Single(mail.Message.To.Mailboxes).Name, Assert.Single(mail.Message.To.Mailboxes).Address));

        // The button, then the same link as plain text to copy; logo; footer.
        var button = mail.Html.IndexOf(">View quote</a>", StringComparison.Ordinal);
        Assert.True(button > 0, mail.Html);
        Assert.True(mail.Html.IndexOf($">{portalUrl}</a>", StringComparison.Ordinal) > button);
        Assert.Contains($"href=\"{portalUrl}\"", mail.Html);
        Assert.Contains($"<img src=\"{MailHostFixture.LogoUrl}\" alt=\"Brightwater Renovations Ltd\"", mail.Html);
        Assert.Contains("VAT number: GB 123 4567 89", mail.Html);
        Assert.Contains("Company registration number: 09876543", mail.Html);
        Assert.Contains($"Project #{number}", mail.Text);
        Assert.Contains($"View quote:\n{portalUrl}\n", mail.Text.ReplaceLineEndings("\n"));
        Assert.Contains("VAT number: GB 123 4567 89", mail.Text);

        // One delivery, with the Message-Id staff see.
        var message = await Api.WaitForMessageStatusAsync(projectId, messageId, "sent");
        Assert.Equal(message.Str("messageId"), mail.Message.MessageId);
        Assert.Equal(1, message["attempts"]!.GetValue<int>());
        Assert.Equal("quote", message.Str("kind"));
        Assert.Single(fixture.Smtp.ReceivedFor(email));
        Assert.Null(message["htmlBody"]);

        // The URL in the email opens the quote.
        using var browser = new PortalBrowser(fixture.Host);
        Assert.Equal($"/portal/proposals/{quoteId}", await browser.EnterAsync(portalUrl));
        var (status, page) = await browser.GetAsync($"/portal/proposals/{quoteId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(quoteNumber, page);
    }

    [Fact]
    public async Task An_estimate_says_View_estimate_and_an_invoice_says_View_Invoice_each_with_its_own_fresh_link()
    {
        var (_, projectId, _, email) = await ClientWithProjectAsync();
        var (estimateId, estimateNumber) = await Api.CreateQuoteAsync(projectId, kind: "estimate");
        var (invoiceId, invoiceNumber) = await Api.CreateInvoiceAsync(projectId);

        var estimateUrl = (await Api.SendAsync("proposals", estimateId)).Str("portalUrl");
        var invoiceUrl = (await Api.SendAsync("invoices", invoiceId)).Str("portalUrl");
        Assert.NotEqual(estimateUrl, invoiceUrl);

        var estimate = await fixture.Smtp.WaitForAsync(email, match: m => m.Subject.Contains(estimateNumber, StringComparison.Ordinal));
        var invoice = await fixture.Smtp.WaitForAsync(email, match: m => m.Subject.Contains(invoiceNumber, StringComparison.Ordinal));
        Assert.Contains(">View estimate</a>", estimate.Html);
        Assert.Contains(estimateUrl, estimate.Text);
        Assert.Contains(">View Invoice</a>", invoice.Html);
        Assert.Contains(invoiceUrl, invoice.Text);

        using var browser = new PortalBrowser(fixture.Host);
        Assert.Equal($"/portal/proposals/{estimateId}", await browser.EnterAsync(estimateUrl));
        Assert.Equal($"/portal/invoices/{invoiceId}", await browser.EnterAsync(invoiceUrl));
    }

    [Fact]
    public async Task Sharing_a_file_emails_View_files_with_a_link_to_the_project()
    {
        var (_, projectId, number, email) = await ClientWithProjectAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent("Measure the walls"u8.ToArray()) { Headers = { ContentType = new("text/plain") } }, "file", "Survey checklist.txt");
        using var response = await Api.PostAsync($"/api/projects/{projectId}/files", form);
        var created = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var portalUrl = created.Str("portalUrl");

        var mail = await fixture.Smtp.WaitForAsync(email);
        Assert.Equal($"New files from Brightwater Renovations Ltd for Project #{number}", mail.Message.Subject);
        Assert.Contains(">View files</a>", mail.Html);
        Assert.Contains("Survey checklist.txt", mail.Text);
        Assert.Contains(portalUrl, mail.Text);

        using var browser = new PortalBrowser(fixture.Host);
        Assert.Equal($"/portal/projects/{projectId}", await browser.EnterAsync(portalUrl));

        // An upload that asks not to notify sends nothing.
        using var quiet = new MultipartFormDataContent();
        quiet.Add(new ByteArrayContent("x"u8.ToArray()), "file", "quiet.txt");
        quiet.Add(new StringContent("false"), "notify");
        using var quietResponse = await Api.PostAsync($"/api/projects/{projectId}/files", quiet);
        Assert.Equal(HttpStatusCode.Created, quietResponse.StatusCode);
        Assert.Null((await quietResponse.ReadJsonAsync())["portalUrl"]?.GetValue<string>());
        Assert.Single(await Api.MessagesAsync(projectId));

        // A later upload that does notify: once its email has arrived, one for the quiet upload (queued earlier)
        // would have been offered too.
        using var marker = new MultipartFormDataContent();
        marker.Add(new ByteArrayContent("y"u8.ToArray()), "file", "marker.txt");
        using var markerResponse = await Api.PostAsync($"/api/projects/{projectId}/files", marker);
        Assert.Equal(HttpStatusCode.Created, markerResponse.StatusCode);
        await fixture.Smtp.WaitForAsync(email, match: m => m.Text.Contains("marker.txt"));
        Assert.Equal(2, fixture.Smtp.ReceivedFor(email).Count);
        Assert.DoesNotContain(fixture.Smtp.ReceivedFor(email), m => m.Text.Contains("quiet.txt"));
        Assert.Equal(2, (await Api.MessagesAsync(projectId)).Count);
    }

    [Fact]
    public async Task Names_are_html_encoded_in_the_message()
    {
        var (_, projectId, _, email) = await ClientWithProjectAsync("Jane <b>Smith</b> & Co");
        var (quoteId, _) = await Api.CreateQuoteAsync(projectId);
        await Api.SendAsync("proposals", quoteId);

        var mail = await fixture.Smtp.WaitForAsync(email);
        Assert.Contains("Hello Jane &lt;b&gt;Smith&lt;/b&gt; &amp; Co,", mail.Html);
        Assert.DoesNotContain("<b>Smith</b>", mail.Html);
        Assert.Equal("Jane <b>Smith</b> & Co", Assert.Single(mail.Message.To.Mailboxes).Name);
    }

    [Fact]
    public async Task A_payment_sends_the_client_a_receipt_and_an_acceptance_notifies_staff()
    {
        var (clientId, projectId, _, email) = await ClientWithProjectAsync();
        var (invoiceId, invoiceNumber) = await Api.CreateInvoiceAsync(projectId, 1000m);
        await Api.SendAsync("invoices", invoiceId);
        await Api.PostOkAsync($"/api/invoices/{invoiceId}/payments", new { amount = 200m, method = "bank_transfer" });

        var receipt = await fixture.Smtp.WaitForAsync(email, match: m => m.Subject.StartsWith("Payment received", StringComparison.Ordinal));
        Assert.Equal($"Payment received for invoice {invoiceNumber}", receipt.Message.Subject);
        Assert.Contains("£200.00", receipt.Text);
        Assert.Contains("Still to pay: £1,000.00", receipt.Text);

        var (quoteId, quoteNumber) = await Api.CreateQuoteAsync(projectId);
        await Api.SendAsync("proposals", quoteId);
        var grains = fixture.Host.Services.GetRequiredService<IGrainFactory>();
        var jane = new Actor(ActorKind.Client, clientId, "Jane Smith", email);
        await grains.GetGrain<IProposalGrain>(quoteId).Accept(new AcceptProposal(1, jane,
            new SignatureInput(SignatureMethod.Typed, "Jane Smith", null, "203.0.113.9", "Test", null, 0, "I agree."), 0));

        var notice = await fixture.Smtp.WaitForAsync(MailHostFixture.NotificationEmail, match: m => m.Subject.Contains(quoteNumber, StringComparison.Ordinal));
        Assert.Equal($"Quote {quoteNumber} accepted by Jane Smith", notice.Message.Subject);
        Assert.Equal(email, Assert.Single(notice.Message.ReplyTo.Mailboxes).Address);

        var kinds = (await Api.MessagesAsync(projectId)).Select(m => m!.Str("kind")).Order().ToArray();
        Assert.Equal(["invoice", "payment_receipt", "proposal_accepted", "quote"], kinds);
    }

    [Fact]
    public async Task The_dev_mailbox_does_not_exist_when_mail_goes_to_a_real_server()
    {
        using var response = await Api.GetAsync("/dev/mailbox");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Messages_of_an_unknown_project_or_message_are_404()
    {
        using var project = await Api.GetAsync($"/api/projects/{Guid.NewGuid()}/messages");
        await project.AssertProblemAsync(HttpStatusCode.NotFound);
        using var message = await Api.GetAsync($"/api/messages/{Guid.NewGuid()}");
        await message.AssertProblemAsync(HttpStatusCode.NotFound, "mail.not_found");
        using var anonymous = fixture.Host.CreateClient();
        using var refused = await anonymous.GetAsync($"/api/projects/{Guid.NewGuid()}/messages");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
