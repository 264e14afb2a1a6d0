using Portal.Domain;

namespace Portal.Tests;

/// <summary>Ready-made inputs; every test states what it changes from them.</summary>
public static class Sample
{
    public const string London = "Europe/London";

    /// <summary>Monday 15 June 2026, 10:00 UTC (11:00 BST in London).</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);

    public static readonly DateOnly ValidUntil = new(2026, 6, 20);

    /// <summary>A real 1×1 PNG.</summary>
    public static byte[] TinyPng() => TestPng.Create();

    public static List<LineInput> Lines() =>
    [
        new("Install boiler", 1m, 1500m, 20m),
        new("Parts", 3m, 33.335m, 20m),
    ];

    public static CreateProposal CreateProposal(
        DocumentKind kind = DocumentKind.Quote, DateOnly? validUntil = null, Guid? projectId = null,
        Guid? companyId = null, Guid? clientId = null, string number = "Q-0001", List<LineInput>? lines = null) =>
        new(companyId ?? Guid.Parse("11111111-1111-1111-1111-111111111111"),
            projectId ?? Guid.Parse("33333333-3333-3333-3333-333333333333"),
            clientId ?? Guid.Parse("22222222-2222-2222-2222-222222222222"),
            kind, number, validUntil ?? ValidUntil, lines ?? Lines(), "Thanks for asking", "GBP", London, 1);

    public static Actor ClientActor(Guid? clientId = null) =>
        new(ActorKind.Client, clientId ?? Guid.Parse("22222222-2222-2222-2222-222222222222"), "Jane Smith", "jane@example.com");

    public static Actor Staff() => new(ActorKind.Staff, null, "Sam Staff", "sam@example.com");

    /// <summary>An accept of the sample proposal as its page shows it: terms version 1, the version it pins.</summary>
    public static AcceptProposal Accept(int documentVersion = 1, SignatureInput? signature = null, int? termsVersion = 1) =>
        new(documentVersion, ClientActor(), signature ?? Typed("Jane Smith"), termsVersion);

    public static SignatureInput Typed(string name) =>
        new(SignatureMethod.Typed, name, null, "203.0.113.9", "Test browser", Guid.NewGuid(), 1, "I agree to the terms.");

    public static SignatureInput Drawn(byte[] png) =>
        new(SignatureMethod.Drawn, null, png, "203.0.113.9", "Test browser", null, 1, "I agree to the terms.");

    public static ProposalState DraftProposal(DocumentKind kind = DocumentKind.Quote)
    {
        var state = new ProposalState();
        state.Create(CreateProposal(kind), Now);
        return state;
    }

    public static ProposalState SentProposal(DocumentKind kind = DocumentKind.Quote)
    {
        var state = DraftProposal(kind);
        state.Send(Now);
        return state;
    }

    public static CreateInvoice CreateInvoice(Guid? projectId = null, Guid? companyId = null, Guid? clientId = null, List<LineInput>? lines = null) =>
        new(companyId ?? Guid.Parse("11111111-1111-1111-1111-111111111111"),
            projectId ?? Guid.Parse("33333333-3333-3333-3333-333333333333"),
            clientId ?? Guid.Parse("22222222-2222-2222-2222-222222222222"),
            "INV-0001", new DateOnly(2026, 7, 15), lines ?? [new LineInput("Work", 1m, 100m, 20m)], "GBP", London);

    public static InvoiceState SentInvoice()
    {
        var state = new InvoiceState();
        state.Create(CreateInvoice(), Now);
        state.Send(Now);
        return state;
    }

    /// <summary>
    /// A send of the document with a plain email to <paramref name="to"/> and a link token of its own; what the
    /// web composes, minus the branding.
    /// </summary>
    public static SendDocument SendDocument(
        Guid documentId, Guid companyId, Guid projectId, DateTimeOffset now, string to = "jane@example.com", MailKind kind = MailKind.Quote)
    {
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var url = $"https://portal.example/p/{token}";
        var mail = new OutgoingMail(
            companyId, projectId, kind, new MailRecipient(to, "Jane Smith"), "Acme Heating", null,
            $"Your {kind}", $"<a href=\"{url}\">Open</a>", $"Open: {url}", documentId);
        return new SendDocument(mail, url, Hashing.Sha256Hex(token), now.AddDays(90));
    }

    public static RecordManualPayment Payment(decimal amount, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), amount, PaymentMethod.BankTransfer, "INV-0001", new DateOnly(2026, 6, 16), Staff());
}
