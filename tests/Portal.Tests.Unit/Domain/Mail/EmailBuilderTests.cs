using Portal.Domain;

namespace Portal.Tests.Domain.Mail;

public class EmailBuilderTests
{
    [Theory]
    [InlineData(DocumentKind.Quote, "View quote", "Quote Q-0007 from Brightwater Renovations Ltd", MailKind.Quote)]
    [InlineData(DocumentKind.Estimate, "View estimate", "Estimate E-0007 from Brightwater Renovations Ltd", MailKind.Estimate)]
    public void A_sent_proposal_email_has_the_button_the_plain_url_below_it_the_logo_and_the_footer(DocumentKind kind, string label, string subject, MailKind mailKind)
    {
        var mail = ClientEmails.DocumentSent(MailSamples.Company(), MailSamples.Client(), MailSamples.Project(), MailSamples.Quote(kind)).WithLink(MailSamples.PortalUrl);

        Assert.Equal(mailKind, mail.Kind);
        Assert.Equal(subject, mail.Subject);
        Assert.Equal(new MailRecipient("jane@example.com", "Jane Smith"), mail.To);
        Assert.Equal("Brightwater Renovations Ltd", mail.SenderName);
        Assert.Equal("hello@brightwater.example", mail.ReplyTo);
        Assert.Equal(MailSamples.ProposalId, mail.DocumentId);

        var button = mail.HtmlBody.IndexOf($">{label}</a>", StringComparison.Ordinal);
        var plainUrl = mail.HtmlBody.IndexOf($">{MailSamples.PortalUrl}</a>", StringComparison.Ordinal);
        Assert.True(button > 0, "the button is there");
        Assert.True(plainUrl > button, "the plain URL comes below the button");
        Assert.Contains(EmailLayout.CopyHint, mail.HtmlBody);
        Assert.Contains($"href=\"{MailSamples.PortalUrl}\"", mail.HtmlBody);
        Assert.Contains("<img src=\"https://cdn.example.com/logo.png\" alt=\"Brightwater Renovations Ltd\"", mail.HtmlBody);
        Assert.Contains("VAT number: GB 123 4567 89", mail.HtmlBody);
        Assert.Contains("Company registration number: 09876543", mail.HtmlBody);
        Assert.Contains("background:#0f766e", mail.HtmlBody);
        Assert.Contains("£5,988.00", mail.HtmlBody);
        Assert.Contains("15 Jul 2026", mail.HtmlBody);

        Assert.Contains($"{label}:\n{MailSamples.PortalUrl}\n", mail.TextBody);
        Assert.Contains("VAT number: GB 123 4567 89", mail.TextBody);
        Assert.Contains("Company registration number: 09876543", mail.TextBody);
        Assert.StartsWith("Hello Jane Smith,", mail.TextBody);
    }

    [Fact]
    public void An_invoice_email_says_View_Invoice_and_its_due_date()
    {
        var mail = ClientEmails.DocumentSent(MailSamples.Company(), MailSamples.Client(), MailSamples.Project(), MailSamples.Invoice()).WithLink(MailSamples.PortalUrl);

        Assert.Equal(MailKind.Invoice, mail.Kind);
        Assert.Equal("Invoice INV-0012 from Brightwater Renovations Ltd", mail.Subject);
        Assert.Contains(">View Invoice</a>", mail.HtmlBody);
        Assert.Contains("Due date", mail.HtmlBody);
        Assert.Contains("29 Jun 2026", mail.TextBody);
        Assert.Contains("£1,200.00", mail.TextBody);
    }

    [Fact]
    public void A_files_email_names_the_files_and_says_View_files()
    {
        var mail = ClientEmails.FilesShared(MailSamples.Company(), MailSamples.Client(), MailSamples.Project(), ["Survey checklist.txt"]).WithLink(MailSamples.PortalUrl);

        Assert.Equal(MailKind.Files, mail.Kind);
        Assert.Equal("New files from Brightwater Renovations Ltd for Project #1042", mail.Subject);
        Assert.Contains(">View files</a>", mail.HtmlBody);
        Assert.Contains("Survey checklist.txt", mail.TextBody);
        Assert.Contains("a file", mail.TextBody);
        Assert.Contains($"View files:\n{MailSamples.PortalUrl}", mail.TextBody);
    }

    [Fact]
    public void Names_and_values_are_html_encoded_everywhere_in_the_html()
    {
        var company = MailSamples.Company(name: "Smith & <b>Sons</b>");
        var client = MailSamples.Client(name: "Jane <script>alert(1)</script>");
        var mail = ClientEmails.DocumentSent(company, client, MailSamples.Project(), MailSamples.Quote()).WithLink(MailSamples.PortalUrl + "?a=1&b=<2>");

        Assert.DoesNotContain("<script>", mail.HtmlBody);
        Assert.DoesNotContain("<b>Sons</b>", mail.HtmlBody);
        Assert.Contains("Jane &lt;script&gt;alert(1)&lt;/script&gt;", mail.HtmlBody);
        Assert.Contains("Smith &amp; &lt;b&gt;Sons&lt;/b&gt;", mail.HtmlBody);
        Assert.DoesNotContain("&b=<2>", mail.HtmlBody);
        // Plain text stays plain: the same names, unencoded.
        Assert.Contains("Hello Jane <script>alert(1)</script>,", mail.TextBody);
    }

    [Theory]
    [InlineData("Brightwater\r\nBcc: victim@example.com")]
    [InlineData("Brightwater\nBcc: victim@example.com")]
    [InlineData("Brightwater\rX-Injected: yes")]
    [InlineData("Brightwater\u2028Bcc: x@example.com")]
    public void A_company_name_with_a_line_break_is_refused_before_any_message_exists(string name)
    {
        var refused = Refuse.With(MailHeaders.InvalidCode, RuleKind.Invalid,
            () => ClientEmails.DocumentSent(MailSamples.Company(name: name), MailSamples.Client(), MailSamples.Project(), MailSamples.Quote()));
        Assert.Contains("company name", refused.Message);
    }

    [Fact]
    public void A_client_name_or_address_with_a_line_break_is_refused()
    {
        Refuse.With(MailHeaders.InvalidCode, RuleKind.Invalid,
            () => ClientEmails.DocumentSent(MailSamples.Company(), MailSamples.Client(name: "Jane\r\nBcc: x@example.com"), MailSamples.Project(), MailSamples.Quote()));
        Refuse.With(MailHeaders.InvalidCode, RuleKind.Invalid,
            () => ClientEmails.DocumentSent(MailSamples.Company(), MailSamples.Client(email: "jane@example.com\r\nBcc: x@example.com"), MailSamples.Project(), MailSamples.Quote()));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/p/relative")]
    [InlineData("ftp://example.com/p/x")]
    public void A_button_only_takes_an_absolute_web_address(string url)
    {
        var draft = ClientEmails.DocumentSent(MailSamples.Company(), MailSamples.Client(), MailSamples.Project(), MailSamples.Quote());
        Refuse.With("validation.mail_link", RuleKind.Invalid, () => draft.WithLink(url));
    }

    [Fact]
    public void Without_a_usable_logo_the_company_name_is_the_wordmark()
    {
        var mail = ClientEmails.DocumentSent(MailSamples.Company(logoUrl: "not a url"), MailSamples.Client(), MailSamples.Project(), MailSamples.Quote()).WithLink(MailSamples.PortalUrl);

        Assert.DoesNotContain("<img", mail.HtmlBody);
        Assert.Contains(">Brightwater Renovations Ltd</span>", mail.HtmlBody);
    }

    [Fact]
    public void A_site_relative_logo_is_made_absolute_with_the_public_address()
    {
        Assert.Equal("https://portal.example.com/img/logo.png", MailBranding.AbsoluteLogo("/img/logo.png", "https://portal.example.com"));
        Assert.Null(MailBranding.AbsoluteLogo("/img/logo.png", null));
        Assert.Null(MailBranding.AbsoluteLogo("javascript:alert(1)", "https://portal.example.com"));
        Assert.Null(MailBranding.AbsoluteLogo("//evil.example.com/x.png", "https://portal.example.com"));
    }

    [Fact]
    public void A_brand_colour_too_light_for_white_text_falls_back_to_blue()
    {
        Assert.Equal(MailBranding.FallbackColour, MailBranding.From(MailSamples.Company(brandColour: "#fde047")).ButtonColour);
        Assert.Equal("#0f766e", MailBranding.From(MailSamples.Company(brandColour: "#0F766E")).ButtonColour);
    }

    [Fact]
    public void A_payment_receipt_thanks_the_client_with_amount_invoice_and_what_is_left()
    {
        var mail = ClientEmails.PaymentReceipt(MailSamples.Company(), MailSamples.Client(), MailSamples.Project(),
            new PaymentReceived(MailSamples.InvoiceId, "INV-0012", 200m, "GBP", Sample.Now, 1000m)).WithoutLink();

        Assert.Equal(MailKind.PaymentReceipt, mail.Kind);
        Assert.Equal("Payment received for invoice INV-0012", mail.Subject);
        Assert.Equal("jane@example.com", mail.To.Address);
        Assert.Contains("£200.00", mail.TextBody);
        Assert.Contains("Still to pay: £1,000.00", mail.TextBody);
        Assert.Contains("15 Jun 2026 at 11:00 BST", mail.TextBody);
        Assert.Contains("VAT number: GB 123 4567 89", mail.TextBody);
        Assert.DoesNotContain("class=\"button\"", mail.HtmlBody);
    }

    [Fact]
    public void Staff_hear_about_an_acceptance_at_the_notification_address_with_replies_to_the_client()
    {
        var entry = MailSamples.Entry(ActivityTypes.ProposalAccepted, Sample.ClientActor(), MailSamples.ProposalId, "Q-0007", DocumentKind.Quote, 5988m);
        var mail = StaffEmails.ProposalAccepted(MailSamples.Company(), MailSamples.Client(), MailSamples.Project(), entry)!.WithoutLink();

        Assert.Equal(MailKind.ProposalAccepted, mail.Kind);
        Assert.Equal("office@brightwater.example", mail.To.Address);
        Assert.Equal("jane@example.com", mail.ReplyTo);
        Assert.Equal("Quote Q-0007 accepted by Jane Smith", mail.Subject);
        Assert.Contains("£5,988.00", mail.TextBody);
        Assert.Contains("Project #1042 (Kitchen refit)", mail.TextBody);
    }

    [Fact]
    public void Staff_hear_about_a_decline_with_its_reason_and_about_a_payment_with_the_balance()
    {
        var declined = StaffEmails.ProposalDeclined(MailSamples.Company(), MailSamples.Client(), MailSamples.Project(),
            MailSamples.Entry(ActivityTypes.ProposalDeclined, Sample.ClientActor(), MailSamples.ProposalId, "E-0007", DocumentKind.Estimate, 5988m, "Too dear"))!.WithoutLink();
        Assert.Equal("Estimate E-0007 declined by Jane Smith", declined.Subject);
        Assert.Contains("Reason: Too dear", declined.TextBody);

        var paid = StaffEmails.InvoicePaid(MailSamples.Company(), MailSamples.Client(), MailSamples.Project(invoices: [MailSamples.InvoiceSummary(0m)]),
            MailSamples.Entry(ActivityTypes.PaymentSucceeded, Actor.System, MailSamples.InvoiceId, "INV-0012", amount: 1200m))!.WithoutLink();
        Assert.Equal(MailKind.InvoicePaid, paid.Kind);
        Assert.Equal("Payment of £1,200.00 received for INV-0012", paid.Subject);
        Assert.Contains("Balance: Paid in full", paid.TextBody);
    }

    [Fact]
    public void Without_a_notification_address_staff_mail_goes_to_the_company_address_and_without_either_there_is_none()
    {
        var entry = MailSamples.Entry(ActivityTypes.ProposalAccepted, Sample.ClientActor(), MailSamples.ProposalId, "Q-0007", DocumentKind.Quote);
        Assert.Equal("hello@brightwater.example",
            StaffEmails.ProposalAccepted(MailSamples.Company(notificationEmail: null), MailSamples.Client(), MailSamples.Project(), entry)!.To.Address);
        Assert.Null(StaffEmails.ProposalAccepted(MailSamples.Company(notificationEmail: null, email: null), MailSamples.Client(), MailSamples.Project(), entry));
    }
}
