namespace Portal.Domain;

/// <summary>
/// Notifications to the company's notification address (or, without one, its contact address): a proposal
/// accepted or declined, an invoice paid. Replies go to the client.
/// </summary>
public static class StaffEmails
{
    public const string SenderName = "Portal";

    /// <summary>Where staff notifications go, or null when the company has no address to send them to.</summary>
    public static string? NotificationAddress(CompanyView company) =>
        string.IsNullOrWhiteSpace(company.NotificationEmail)
            ? string.IsNullOrWhiteSpace(company.Email) ? null : company.Email
            : company.NotificationEmail;

    public static EmailDraft? ProposalAccepted(CompanyView company, ClientView client, ProjectView project, ActivityEntry entry)
    {
        var (noun, number, total) = Proposal(project, entry);
        var details = new List<EmailDetail> { new("Client", client.Name), new(ClientEmails.Capitalised(noun), number) };
        if (total is not null)
        {
            details.Add(new EmailDetail("Total", total));
        }
        details.Add(new EmailDetail("Signed by", entry.By.Name));
        details.Add(new EmailDetail("Accepted", MailFormats.DateTime(entry.At, company.TimeZone)));
        return Draft(company, client, project, entry, MailKind.ProposalAccepted,
            $"{ClientEmails.Capitalised(noun)} {number} accepted by {client.Name}",
            $"{client.Name} accepted {noun} {number} on {ClientEmails.ProjectName(project)}.", details);
    }

    public static EmailDraft? ProposalDeclined(CompanyView company, ClientView client, ProjectView project, ActivityEntry entry)
    {
        var (noun, number, total) = Proposal(project, entry);
        var details = new List<EmailDetail> { new("Client", client.Name), new(ClientEmails.Capitalised(noun), number) };
        if (total is not null)
        {
            details.Add(new EmailDetail("Total", total));
        }
        details.Add(new EmailDetail("Declined", MailFormats.DateTime(entry.At, company.TimeZone)));
        details.Add(new EmailDetail("Reason", string.IsNullOrWhiteSpace(entry.Detail) ? "No reason given" : entry.Detail));
        return Draft(company, client, project, entry, MailKind.ProposalDeclined,
            $"{ClientEmails.Capitalised(noun)} {number} declined by {client.Name}",
            $"{client.Name} declined {noun} {number} on {ClientEmails.ProjectName(project)}.", details);
    }

    public static EmailDraft? InvoicePaid(CompanyView company, ClientView client, ProjectView project, ActivityEntry entry)
    {
        var invoice = project.Invoices.FirstOrDefault(i => i.Id == entry.DocumentId);
        var number = entry.DocumentNumber ?? invoice?.Number ?? "an invoice";
        var currency = entry.Currency ?? invoice?.Currency ?? Money.DefaultCurrency;
        var amount = entry.Amount is { } paid ? MailFormats.Money(paid, currency) : "A payment";
        var details = new List<EmailDetail>
        {
            new("Client", client.Name),
            new("Invoice", number),
            new("Amount", amount),
            new("Paid", MailFormats.DateTime(entry.At, company.TimeZone)),
        };
        if (invoice is not null)
        {
            details.Add(new EmailDetail("Balance", invoice.Balance > 0 ? MailFormats.Money(invoice.Balance, invoice.Currency) : "Paid in full"));
        }
        return Draft(company, client, project, entry, MailKind.InvoicePaid,
            $"Payment of {amount} received for {number}",
            $"{client.Name} paid {amount} on invoice {number} for {ClientEmails.ProjectName(project)}.", details);
    }

    private static (string Noun, string Number, string? Total) Proposal(ProjectView project, ActivityEntry entry)
    {
        var summary = project.Proposals.FirstOrDefault(p => p.Id == entry.DocumentId);
        var noun = ClientEmails.Noun(entry.DocumentKind ?? summary?.Kind ?? DocumentKind.Quote);
        var number = entry.DocumentNumber ?? summary?.Number ?? "";
        var total = entry.Amount is { } amount && (entry.Currency ?? summary?.Currency) is { } currency
            ? MailFormats.Money(amount, currency)
            : summary is null ? null : MailFormats.Money(summary.Total, summary.Currency);
        return (noun, number, total);
    }

    private static EmailDraft? Draft(
        CompanyView company, ClientView client, ProjectView project, ActivityEntry entry, MailKind kind,
        string subject, string paragraph, IReadOnlyList<EmailDetail> details)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(entry);
        if (NotificationAddress(company) is not { } to)
        {
            return null;
        }
        return EmailDraft.Create(
            company.Id, project.Id, kind, entry.DocumentId, new MailRecipient(to, company.Name), "notification address",
            SenderName, client.Email, subject, MailBranding.From(company), "Hello,",
            [paragraph], details);
    }
}
