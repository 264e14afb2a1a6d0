using System.Reflection;
using System.Text.Json;
using Portal.Domain;

namespace Portal.Tests.Domain;

/// <summary>Grain state is stored as System.Text.Json with <see cref="StateJson.Options"/>; nothing may be lost.</summary>
public class StateJsonRoundTripTests
{
    public static TheoryData<string> StateTypes() => [.. FilledStates().Keys];

    [Theory]
    [MemberData(nameof(StateTypes))]
    public void Every_state_type_round_trips_through_storage_json_without_losing_data(string typeName)
    {
        var state = FilledStates()[typeName];
        var json = JsonSerializer.Serialize(state, state.GetType(), StateJson.Options);
        var copy = JsonSerializer.Deserialize(json, state.GetType(), StateJson.Options)!;

        Assert.Equal(json, JsonSerializer.Serialize(copy, state.GetType(), StateJson.Options));
    }

    [Theory]
    [MemberData(nameof(StateTypes))]
    public void Every_state_property_is_public_and_settable_so_the_serializer_can_restore_it(string typeName)
    {
        var type = FilledStates()[typeName].GetType();
        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod!.IsPublic))
        {
            var computed = property.SetMethod is null && property.GetMethod!.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null;
            if (computed)
            {
                continue;
            }
            Assert.True(property.SetMethod?.IsPublic, $"{type.Name}.{property.Name} has no public setter");
        }
    }

    [Fact]
    public void Signature_evidence_keeps_the_drawn_png_bytes_and_times()
    {
        var state = Sample.SentProposal();
        state.Accept(Sample.Accept(signature: Sample.Drawn(Sample.TinyPng())), Sample.Now);

        var copy = JsonSerializer.Deserialize<ProposalState>(JsonSerializer.Serialize(state, StateJson.Options), StateJson.Options)!;

        Assert.Equal(Sample.TinyPng(), copy.Acceptance!.DrawnPng);
        Assert.Equal(state.Acceptance!.SignedAtUtc, copy.Acceptance.SignedAtUtc);
        Assert.Equal(state.ValidUntil, copy.ValidUntil);
        Assert.Equal(state.Lines, copy.Lines);
        Assert.Equal(state.Totals, copy.Totals);
    }

    [Fact]
    public void Enums_are_stored_by_name()
    {
        var json = JsonSerializer.Serialize(Sample.SentProposal(), StateJson.Options);
        Assert.Contains("\"Status\":\"Sent\"", json);
    }

    private static Dictionary<string, object> FilledStates()
    {
        var now = Sample.Now;

        var proposal = Sample.SentProposal();
        proposal.MarkViewed(Sample.ClientActor(), now);
        proposal.Accept(Sample.Accept(signature: Sample.Drawn(Sample.TinyPng())), now);

        var declined = Sample.SentProposal(DocumentKind.Estimate);
        declined.Decline(new DeclineProposal(1, Sample.ClientActor(), "Too dear"), now);

        var invoice = Sample.SentInvoice();
        invoice.MarkViewed(Sample.ClientActor(), now);
        invoice.RecordManualPayment(Sample.Payment(20m), now);
        invoice.Payments[0].RefundedAmount = 1m;
        invoice.Payments[0].ExternalId = "pi_123";
        invoice.Payments[0].CheckoutSessionId = "cs_123";
        invoice.Payments[0].FailureReason = "Declined";
        invoice.ProcessedEventIds.Add("evt_123");
        invoice.FromProposalId = Guid.NewGuid();
        var invoiceId = Guid.NewGuid();
        invoice.SendCount = 1;
        invoice.PendingSend = PendingSend.Start(
            invoiceId, 1, invoice, LinkTargetKind.Invoice,
            Sample.SendDocument(invoiceId, invoice.CompanyId, invoice.ProjectId, now, kind: MailKind.Invoice), now);

        var project = new ProjectState();
        project.Create(new CreateProject(Guid.NewGuid(), Guid.NewGuid(), 1001, "Kitchen", "1 High St"), now);
        project.AddBooking(Guid.NewGuid(), "Survey", now, now.AddHours(1));
        project.AddFile(new SharedFile(Guid.NewGuid(), "plan.pdf", "application/pdf", 10, new string('b', 64), now));
        project.UpdateProposal(proposal.ToSummary(Guid.NewGuid(), now));
        project.UpdateInvoice(invoice.ToSummary(Guid.NewGuid()));
        project.Complete(now);
        var archived = new List<ActivityEntry>();
        for (var i = 0; i < ActivitySegments.Size; i++)
        {
            archived.Add(ActivityChain.Append(archived, new ActivityInput(Guid.NewGuid(), ActivityTypes.InvoiceViewed, now, Sample.ClientActor())));
        }
        project.RecordActivity(new ActivityInput(Guid.NewGuid(), ActivityTypes.PaymentSucceeded, now, Actor.Staff, Guid.NewGuid(), "INV-0001", DocumentKind.Invoice, 10m, "GBP", "cash"));
        project.ArchivedUntil = now;
        var segment = new ActivitySegmentState();
        segment.Store(0, archived);

        var client = new ClientState();
        client.Create(Guid.NewGuid(), new ClientDetails("Jane", "jane@example.com", "0123", "1 High St"), now);
        client.TrackProject(new ClientProjectEntry(Guid.NewGuid(), 1001, "Kitchen", ProjectStatus.Complete));

        var company = new CompanyState();
        company.Create("Acme", new CompanySettings
        {
            LogoUrl = "https://example.com/logo.png",
            Accreditations = ["Gas Safe"],
            VatNumber = "GB1",
            CompanyRegistrationNumber = "0123",
            BankDetails = new BankDetails("Acme Ltd", "12-34-56", "12345678", "GB00", "BIC"),
            TermsText = "Terms",
            TermsUrl = "https://example.com/terms",
            PaymentMethods = new PaymentMethods(true, true),
            NotificationEmail = "office@example.com",
        }, now);
        company.AllocateProjectNumber();
        company.AllocateDocumentNumber(DocumentKind.Estimate);
        company.RegisterClient(Guid.NewGuid());
        company.RegisterProject(Guid.NewGuid());
        var linkId = Guid.NewGuid();
        company.RegisterPortalLink(new PortalLinkRecord(linkId, Guid.NewGuid(), new string('c', 64), now.AddDays(90)), now);
        company.Owe(Guid.NewGuid(), AuditActions.SettingsChanged, "vatNumber", new Actor(ActorKind.Staff, null, "Jo Owner", "jo@example.com"), now);

        var link = new PortalLinkState();
        link.Issue(new IssuePortalLink(linkId, Guid.NewGuid(), Guid.NewGuid(), new LinkTarget(LinkTargetKind.Invoice, Guid.NewGuid()), now.AddDays(90), PortalLinkOrigin.Email), now);
        link.Revoke(now.AddDays(1));

        var staff = new StaffDirectoryState();
        staff.SetCompany(Guid.NewGuid());
        staff.AddApiKey(new string('d', 64), "CI", now);
        staff.SetAdmin("admin@example.com", "$hash");
        staff.MarkDemoSeeded();
        staff.Owe(Guid.NewGuid(), AuditActions.ApiKeyAdded, "CI (admin)", Actor.System, now);

        return new Dictionary<string, object>
        {
            [nameof(ProposalState)] = proposal,
            [nameof(ProposalState) + " declined"] = declined,
            [nameof(InvoiceState)] = invoice,
            [nameof(ProjectState)] = project,
            [nameof(ClientState)] = client,
            [nameof(CompanyState)] = company,
            [nameof(PortalLinkState)] = link,
            [nameof(StaffDirectoryState)] = staff,
            [nameof(ActivitySegmentState)] = segment,
            [nameof(CompanyAuditState)] = Audit(now),
        };
    }

    private static CompanyAuditState Audit(DateTimeOffset now)
    {
        var audit = new CompanyAuditState();
        audit.Record(Guid.NewGuid(), AuditActions.MemberAdded, "Sam Patel <sam@example.com> as admin", new Actor(ActorKind.Staff, null, "Jo Owner", "jo@example.com"), now);
        audit.Record(Guid.NewGuid(), AuditActions.ApiKeyRemoved, "Zapier", Actor.System, now.AddMinutes(1));
        return audit;
    }
}
