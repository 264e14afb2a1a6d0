namespace Portal.Domain;

/// <summary>A document just sent to the client: what its email says about it.</summary>
public sealed record SentDocument(DocumentKind Kind, Guid Id, string Number, decimal Total, string Currency, DateOnly Date);

/// <summary>A payment that succeeded, for the client's receipt.</summary>
public sealed record PaymentReceived(Guid InvoiceId, string InvoiceNumber, decimal Amount, string Currency, DateTimeOffset PaidAt, decimal? Balance);

/// <summary>The messages a client receives: a document or files shared with a button to the portal, and receipts.</summary>
public static class ClientEmails
{
    /// <summary>The exact button labels of product.md.</summary>
    public static string ButtonLabel(DocumentKind kind) => kind switch
    {
        DocumentKind.Quote => "View quote",
        DocumentKind.Estimate => "View estimate",
        DocumentKind.Invoice => "View Invoice",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public const string FilesButtonLabel = "View files";

    public static EmailDraft DocumentSent(CompanyView company, ClientView client, ProjectView project, SentDocument document, string? publicBaseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(document);
        var noun = Noun(document.Kind);
        var total = MailFormats.Money(document.Total, document.Currency);
        var (subject, intro, closing, dateLabel) = document.Kind switch
        {
            DocumentKind.Invoice => (
                $"Invoice {document.Number} from {company.Name}",
                $"{company.Name} has sent you invoice {document.Number} for {ProjectName(project)}.",
                "Open it to see the details and make a payment.",
                "Due date"),
            _ => (
                $"{Capitalised(noun)} {document.Number} from {company.Name}",
                $"{company.Name} has sent you {Article(noun)} {noun} for {ProjectName(project)}.",
                $"Open it to read the details, then sign to accept or decline the {noun}.",
                "Valid until"),
        };
        return EmailDraft.Create(
            company.Id, project.Id, KindOf(document.Kind), document.Id, new MailRecipient(client.Email, client.Name), "client",
            company.Name, company.Email, subject, MailBranding.From(company, publicBaseUrl), Greeting(client),
            [intro, closing],
            [
                new EmailDetail(Capitalised(noun), document.Number),
                new EmailDetail("Total", total),
                new EmailDetail(dateLabel, MailFormats.Date(document.Date)),
            ],
            ButtonLabel(document.Kind));
    }

    public static EmailDraft FilesShared(CompanyView company, ClientView client, ProjectView project, IReadOnlyList<string> fileNames, string? publicBaseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(fileNames);
        var what = fileNames.Count == 1 ? "a file" : $"{fileNames.Count} files";
        return EmailDraft.Create(
            company.Id, project.Id, MailKind.Files, null, new MailRecipient(client.Email, client.Name), "client",
            company.Name, company.Email, $"New files from {company.Name} for Project #{project.Number}",
            MailBranding.From(company, publicBaseUrl), Greeting(client),
            [$"{company.Name} has shared {what} with you on {ProjectName(project)}.", "You can open or download it from the project page."],
            [.. fileNames.Select(name => new EmailDetail("File", name))],
            FilesButtonLabel);
    }

    public static EmailDraft PaymentReceipt(CompanyView company, ClientView client, ProjectView project, PaymentReceived payment)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(payment);
        var amount = MailFormats.Money(payment.Amount, payment.Currency);
        var details = new List<EmailDetail>
        {
            new("Invoice", payment.InvoiceNumber),
            new("Amount paid", amount),
            new("Date", MailFormats.DateTime(payment.PaidAt, company.TimeZone)),
        };
        if (payment.Balance is { } balance)
        {
            details.Add(balance > 0 ? new EmailDetail("Still to pay", MailFormats.Money(balance, payment.Currency)) : new EmailDetail("Balance", "Paid in full"));
        }
        return EmailDraft.Create(
            company.Id, project.Id, MailKind.PaymentReceipt, payment.InvoiceId, new MailRecipient(client.Email, client.Name), "client",
            company.Name, company.Email, $"Payment received for invoice {payment.InvoiceNumber}",
            MailBranding.From(company), Greeting(client),
            [$"Thank you for your payment. {company.Name} has received {amount} for invoice {payment.InvoiceNumber} on {ProjectName(project)}.", "Please keep this email as your receipt."],
            details);
    }

    internal static string ProjectName(ProjectView project) => $"Project #{project.Number} ({project.Title})";

    internal static string Noun(DocumentKind kind) => kind switch
    {
        DocumentKind.Quote => "quote",
        DocumentKind.Estimate => "estimate",
        DocumentKind.Invoice => "invoice",
        _ => "document",
    };

    internal static string Capitalised(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private static string Article(string noun) => noun.Length > 0 && "aeiou".Contains(noun[0]) ? "an" : "a";

    private static string Greeting(ClientView client) => $"Hello {client.Name},";

    private static MailKind KindOf(DocumentKind kind) => kind switch
    {
        DocumentKind.Quote => MailKind.Quote,
        DocumentKind.Estimate => MailKind.Estimate,
        DocumentKind.Invoice => MailKind.Invoice,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
