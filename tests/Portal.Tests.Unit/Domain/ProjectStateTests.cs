using Portal.Domain;

namespace Portal.Tests.Domain;

public class ProjectStateTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    private static ProjectState OpenProject()
    {
        var state = new ProjectState();
        state.Create(new CreateProject(Guid.NewGuid(), Guid.NewGuid(), 1001, "Kitchen refit", "1 High St"), Now);
        return state;
    }

    private static ProjectState CompleteProject()
    {
        var state = OpenProject();
        state.Complete(Now);
        return state;
    }

    private static ProposalSummary Proposal(Guid? id = null, string number = "Q-0001", ProposalStatus status = ProposalStatus.Draft) =>
        new(id ?? Guid.NewGuid(), number, DocumentKind.Quote, status, 100m, "GBP", null, Sample.ValidUntil);

    private static InvoiceSummary Invoice(Guid? id = null, string number = "INV-0001", params PaymentView[] payments) =>
        new(id ?? Guid.NewGuid(), number, InvoiceStatus.Sent, 100m, 100m, "GBP", Now, new DateOnly(2026, 7, 1), [.. payments]);

    [Fact]
    public void Creating_a_project_opens_it_at_version_1()
    {
        var state = OpenProject();
        Assert.Equal(ProjectStatus.Open, state.Status);
        Assert.Equal(1, state.Version);
        Assert.Equal("Kitchen refit", state.Title);
    }

    [Fact]
    public void Creating_twice_is_refused()
    {
        var state = OpenProject();
        Refuse.Unchanged(state, "project.exists", RuleKind.Conflict,
            () => state.Create(new CreateProject(Guid.NewGuid(), Guid.NewGuid(), 1002, "x", null), Now));
    }

    [Fact]
    public void Creating_without_a_title_is_refused()
    {
        var state = new ProjectState();
        Refuse.Unchanged(state, "validation.title", RuleKind.Invalid,
            () => state.Create(new CreateProject(Guid.NewGuid(), Guid.NewGuid(), 1001, " ", null), Now));
    }

    [Fact]
    public void A_project_never_created_is_not_found()
    {
        Refuse.With("project.not_found", RuleKind.NotFound, () => new ProjectState().ToView(Guid.NewGuid()));
    }

    [Fact]
    public void Completing_an_open_project_makes_it_complete_and_bumps_the_version()
    {
        var state = OpenProject();
        state.Complete(Now);
        Assert.Equal(ProjectStatus.Complete, state.Status);
        Assert.Equal(2, state.Version);
    }

    [Fact]
    public void Completing_a_complete_project_is_refused()
    {
        var state = CompleteProject();
        Refuse.Unchanged(state, "project.already_complete", RuleKind.Conflict, () => state.Complete(Now));
    }

    [Fact]
    public void Reopening_a_complete_project_opens_it()
    {
        var state = CompleteProject();
        state.Reopen();
        Assert.Equal(ProjectStatus.Open, state.Status);
        Assert.Equal(3, state.Version);
    }

    [Fact]
    public void Reopening_an_open_project_is_refused()
    {
        var state = OpenProject();
        Refuse.Unchanged(state, "project.not_complete", RuleKind.Conflict, () => state.Reopen());
    }

    [Fact]
    public void Adding_a_booking_keeps_bookings_in_date_order()
    {
        var state = OpenProject();
        state.AddBooking(Guid.NewGuid(), "Second visit", Now.AddDays(2), Now.AddDays(2).AddHours(3));
        state.AddBooking(Guid.NewGuid(), "Survey", Now.AddDays(1), Now.AddDays(1).AddHours(1));

        Assert.Equal(["Survey", "Second visit"], state.Bookings.Select(b => b.Name));
        Assert.Equal(3, state.Version);
    }

    [Fact]
    public void A_booking_that_ends_before_it_starts_is_refused()
    {
        var state = OpenProject();
        Refuse.Unchanged(state, "validation.booking", RuleKind.Invalid, () => state.AddBooking(Guid.NewGuid(), "Survey", Now, Now));
        Refuse.Unchanged(state, "validation.booking", RuleKind.Invalid, () => state.AddBooking(Guid.NewGuid(), "Survey", Now, Now.AddHours(-1)));
    }

    [Fact]
    public void Adding_a_booking_to_a_complete_project_is_refused()
    {
        var state = CompleteProject();
        Refuse.Unchanged(state, "project.complete", RuleKind.Conflict, () => state.AddBooking(Guid.NewGuid(), "Survey", Now, Now.AddHours(1)));
    }

    [Fact]
    public void Removing_a_booking_bumps_the_version_and_removing_it_again_changes_nothing()
    {
        var state = OpenProject();
        var booking = state.AddBooking(Guid.NewGuid(), "Survey", Now, Now.AddHours(1));
        Assert.True(state.RemoveBooking(booking.Id));
        Assert.Equal(3, state.Version);
        Assert.False(state.RemoveBooking(booking.Id));
        Assert.Equal(3, state.Version);
    }

    [Fact]
    public void Sharing_a_file_adds_it_once()
    {
        var state = OpenProject();
        var file = new SharedFile(Guid.NewGuid(), "plan.pdf", "application/pdf", 1234, new string('a', 64), Now);
        Assert.True(state.AddFile(file));
        Assert.False(state.AddFile(file));
        Assert.Single(state.Files);
        Assert.True(state.RemoveFile(file.Id));
        Assert.Empty(state.Files);
    }

    [Fact]
    public void Sharing_a_file_on_a_complete_project_is_refused()
    {
        var state = CompleteProject();
        var file = new SharedFile(Guid.NewGuid(), "plan.pdf", "application/pdf", 1234, new string('a', 64), Now);
        Refuse.Unchanged(state, "project.complete", RuleKind.Conflict, () => state.AddFile(file));
    }

    [Fact]
    public void Updating_a_proposal_replaces_its_summary_and_bumps_the_version_only_when_it_changed()
    {
        var state = OpenProject();
        var id = Guid.NewGuid();
        Assert.True(state.UpdateProposal(Proposal(id)));
        Assert.False(state.UpdateProposal(Proposal(id)));
        Assert.Equal(2, state.Version);

        Assert.True(state.UpdateProposal(Proposal(id, status: ProposalStatus.Sent)));
        Assert.Equal(3, state.Version);
        Assert.False(state.UpdateProposal(Proposal(id, status: ProposalStatus.Sent)));
        Assert.Equal(3, state.Version);
        Assert.Equal(ProposalStatus.Sent, Assert.Single(state.Proposals).Status);
    }

    [Fact]
    public void Updating_an_invoice_compares_the_payments_by_content()
    {
        var state = OpenProject();
        var id = Guid.NewGuid();
        var payment = new PaymentView(Guid.NewGuid(), PaymentMethod.BankTransfer, PaymentStatus.Succeeded, 10m, 0m, "GBP", null, Now, null, null);
        state.UpdateInvoice(Invoice(id));
        Assert.True(state.UpdateInvoice(Invoice(id, payments: payment)));
        var version = state.Version;

        Assert.False(state.UpdateInvoice(Invoice(id, payments: payment with { })));
        Assert.Equal(version, state.Version);
    }

    [Fact]
    public void Document_updates_still_reach_a_complete_project()
    {
        var state = OpenProject();
        var id = Guid.NewGuid();
        state.UpdateInvoice(Invoice(id));
        state.Complete(Now);

        Assert.True(state.UpdateInvoice(Invoice(id) with { Status = InvoiceStatus.Paid, Balance = 0m }));
        Assert.Equal(InvoiceStatus.Paid, state.Invoices[0].Status);
    }
}
