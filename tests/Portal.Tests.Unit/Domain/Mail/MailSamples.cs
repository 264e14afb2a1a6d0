using Portal.Domain;

namespace Portal.Tests.Domain.Mail;

/// <summary>Views the email builders read, as the grains would return them.</summary>
public static class MailSamples
{
    public static readonly Guid CompanyId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    public static readonly Guid ClientId = Guid.Parse("22222222-2222-2222-2222-222222222222");
    public static readonly Guid ProjectId = Guid.Parse("33333333-3333-3333-3333-333333333333");
    public static readonly Guid ProposalId = Guid.Parse("44444444-4444-4444-4444-444444444444");
    public static readonly Guid InvoiceId = Guid.Parse("55555555-5555-5555-5555-555555555555");

    public const string PortalUrl = "https://portal.example.com/p/AbC-123_xyz";

    public static CompanyView Company(string name = "Brightwater Renovations Ltd", string? logoUrl = "https://cdn.example.com/logo.png",
        string brandColour = "#0f766e", string? notificationEmail = "office@brightwater.example", string? email = "hello@brightwater.example") =>
        new(CompanyId, name, logoUrl, brandColour, ["Gas Safe Registered 512345", "TrustMark"], "GB 123 4567 89", "09876543",
            "12 Harbour Street, Bristol", email, "0117 496 0000", null, null, new PaymentMethods(true, false), "GBP", Sample.London, notificationEmail);

    public static ClientView Client(string name = "Jane Smith", string email = "jane@example.com") =>
        new(ClientId, CompanyId, name, email, null, null, Sample.Now);

    public static ProjectView Project(IReadOnlyList<InvoiceSummary>? invoices = null, IReadOnlyList<ProposalSummary>? proposals = null) =>
        new(ProjectId, CompanyId, ClientId, 1042, "Kitchen refit", null, ProjectStatus.Open, proposals ?? [], [], [], invoices ?? [], 1, Sample.Now);

    public static SentDocument Quote(DocumentKind kind = DocumentKind.Quote) =>
        new(kind, ProposalId, kind == DocumentKind.Estimate ? "E-0007" : "Q-0007", 5988m, "GBP", new DateOnly(2026, 7, 15));

    public static SentDocument Invoice() => new(DocumentKind.Invoice, InvoiceId, "INV-0012", 1200m, "GBP", new DateOnly(2026, 6, 29));

    public static InvoiceSummary InvoiceSummary(decimal balance) =>
        new(InvoiceId, "INV-0012", balance == 0 ? InvoiceStatus.Paid : InvoiceStatus.PartiallyPaid, 1200m, balance, "GBP", Sample.Now, new DateOnly(2026, 6, 29), []);

    public static ActivityEntry Entry(string type, Actor by, Guid? documentId = null, string? number = null, DocumentKind? kind = null, decimal? amount = null, string? detail = null) =>
        new(1, Guid.NewGuid(), type, Sample.Now, by, documentId, number, kind, amount, amount is null ? null : "GBP", detail, new string('0', 64), new string('a', 64));
}
