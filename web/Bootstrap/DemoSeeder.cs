using System.Text;
using Portal.Web.Application;
using Portal.Web.Mail;

namespace Portal.Web.Bootstrap;

/// <summary>
/// The demo a newcomer clicks through on first start: a company with its footer details and bank account,
/// one client, and a project with a sent quote, a booking, a shared file and a sent invoice.
/// </summary>
public sealed class DemoSeeder(IGrainFactory grains, StaffOperations operations, DocumentMailer mailer, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public const string CompanyName = "Brightwater Renovations Ltd";

    public static CompanySettings CompanySettings { get; } = new()
    {
        BrandColour = "#0f766e",
        Accreditations = ["Gas Safe Registered 512345", "NICEIC Approved Contractor", "TrustMark Government Endorsed"],
        VatNumber = "GB 123 4567 89",
        CompanyRegistrationNumber = "09876543",
        Address = "12 Harbour Street, Bristol BS1 4RW",
        Email = "hello@brightwater.example",
        Phone = "0117 496 0000",
        BankDetails = new BankDetails("Brightwater Renovations Ltd", "20-00-00", "55779911", "GB33BUKB20000055779911", "BUKBGB22"),
        TermsText = "Quotes are valid until the date shown. A deposit of 25% secures your start date. Payment is due within 14 days of invoice.",
        PaymentMethods = new PaymentMethods(BankTransfer: true, Card: false),
        Currency = "GBP",
        TimeZone = "Europe/London",
        NotificationEmail = "office@brightwater.example",
    };

    /// <summary>Creates the demo data and returns the demo client's id.</summary>
    public async Task<Guid> SeedAsync(Guid companyId, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var client = await operations.CreateClientAsync(companyId, new ClientDetails(
            "Jane Smith", "jane.smith@example.com", "07700 900123", "4 Orchard Lane, Bristol BS8 2AB"));
        var project = await operations.CreateProjectAsync(client, "Kitchen refit", "4 Orchard Lane, Bristol BS8 2AB");

        var quote = await operations.CreateProposalAsync(project, DocumentKind.Quote, today.AddDays(30),
        [
            new LineInput("Strip out existing kitchen and dispose of waste", 1, 850m, 20m),
            new LineInput("Supply and fit base and wall units", 14, 185m, 20m),
            new LineInput("Quartz worktop, templated and fitted", 1, 2400m, 20m),
            new LineInput("First and second fix electrics", 1, 960m, 20m),
        ], "Price includes all materials listed. Appliances are supplied by the client.");
        // Sent as staff would, so the demo's mailbox has the emails to click through from.
        await mailer.SendProposalAsync(quote);

        var start = new DateTimeOffset(today.AddDays(14).ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);
        await grains.GetGrain<IProjectGrain>(project.Id).AddBooking("Site survey", start, start.AddHours(2));
        await grains.GetGrain<IProjectGrain>(project.Id).AddBooking("Installation week", start.AddDays(21), start.AddDays(25).AddHours(9));

        var notes = Encoding.UTF8.GetBytes("Site survey checklist\n\n- Measure walls and window openings\n- Check water and gas positions\n- Confirm socket layout with Jane\n");
        using (var stream = new MemoryStream(notes))
        {
            await operations.ShareFileAsync(project, "Site survey checklist.txt", "text/plain", stream, cancellationToken);
        }

        var invoice = await operations.CreateInvoiceAsync(project, today.AddDays(14),
        [
            new LineInput("Deposit: 25% of quote " + quote.Number, 1, Currencies.Round(quote.Totals.Subtotal * 0.25m, quote.Totals.Currency), 20m),
        ], null, "Deposit to secure the installation dates.");
        await mailer.SendInvoiceAsync(invoice);

        logger.LogInformation("Seeded the demo: client {Client}, project #{Number}, {Quote}, {Invoice}", client.Name, project.Number, quote.Number, invoice.Number);
        return client.Id;
    }
}
