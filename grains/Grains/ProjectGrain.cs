using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

public sealed class ProjectGrain(
    [PersistentState("project", StorageNames.Portal)] IPersistentState<ProjectState> state,
    ILogger<ProjectGrain> logger)
    : PortalGrain<ProjectState>(state, logger), IProjectGrain
{
    private Guid Id => this.GetPrimaryKey();

    public async Task<ProjectView> Create(CreateProject command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (State.Created)
        {
            throw new PortalRuleViolation("project.exists", "This project already exists.");
        }
        var company = GrainFactory.GetGrain<ICompanyGrain>(command.CompanyId);
        if (command.CompanyId == Guid.Empty || !await company.Exists())
        {
            throw PortalRuleViolation.NotFound("company.not_found", "There is no such company.");
        }
        var client = GrainFactory.GetGrain<IClientGrain>(command.ClientId);
        var clientView = await client.Get();
        if (clientView.CompanyId != command.CompanyId)
        {
            throw PortalRuleViolation.Invalid("validation.client", "The client belongs to another company.");
        }

        State.Create(command, Now);
        await CommitAsync();
        await NotifyAsync("add the project to the client's projects", () => client.TrackProject(State.ToClientEntry(Id)));
        await NotifyAsync("register the project with its company", () => company.RegisterProject(Id));
        return State.ToView(Id);
    }

    public Task<ProjectView> Get() => Task.FromResult(State.ToView(Id));

    public Task<bool> Exists() => Task.FromResult(State.Created);

    public async Task<Booking> AddBooking(string name, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        var booking = State.AddBooking(Guid.NewGuid(), name, startsAt, endsAt);
        await CommitAsync();
        return booking;
    }

    public async Task RemoveBooking(Guid bookingId)
    {
        if (State.RemoveBooking(bookingId))
        {
            await CommitAsync();
        }
    }

    public async Task AddFile(SharedFile file)
    {
        if (State.AddFile(file))
        {
            await CommitAsync();
        }
    }

    public async Task RemoveFile(Guid fileId)
    {
        if (State.RemoveFile(fileId))
        {
            await CommitAsync();
        }
    }

    public async Task<ProjectView> Complete()
    {
        State.Complete(Now);
        await CommitAsync();
        await TrackOnClientAsync();
        return State.ToView(Id);
    }

    public async Task<ProjectView> Reopen()
    {
        State.Reopen();
        await CommitAsync();
        await TrackOnClientAsync();
        return State.ToView(Id);
    }

    public async Task AttachProposal(ProposalSummary summary)
    {
        if (State.AttachProposal(summary))
        {
            await CommitAsync();
        }
    }

    public async Task AttachInvoice(InvoiceSummary summary)
    {
        if (State.AttachInvoice(summary))
        {
            await CommitAsync();
        }
    }

    public async Task UpdateProposal(ProposalSummary summary)
    {
        if (State.UpdateProposal(summary))
        {
            await CommitAsync();
        }
    }

    public async Task UpdateInvoice(InvoiceSummary summary)
    {
        if (State.UpdateInvoice(summary))
        {
            await CommitAsync();
        }
    }

    public async Task ApplyDocumentChange(DocumentChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var changed = false;
        if (change.Proposal is not null)
        {
            changed |= State.UpdateProposal(change.Proposal);
        }
        if (change.Invoice is not null)
        {
            changed |= State.UpdateInvoice(change.Invoice);
        }
        var toMail = new List<ActivityEntry>();
        foreach (var activity in change.Activity ?? [])
        {
            if (State.RecordActivity(activity))
            {
                changed = true;
                if (ActivityMail.CallsForEmail(activity.Type))
                {
                    toMail.Add(State.Activity[^1]);
                }
            }
        }
        if (changed)
        {
            await CommitAsync(toMail.Count > 0 ? () => MailAboutAsync(toMail) : null);
        }
    }

    public async Task<ActivityEntry> RecordActivity(ActivityInput input)
    {
        if (State.RecordActivity(input))
        {
            await CommitAsync(ActivityMail.CallsForEmail(input.Type) ? () => MailAboutAsync([State.Activity[^1]]) : null);
        }
        return State.Activity.Last(a => a.Id == input.Id);
    }

    // Emails the new entries call for (receipt, staff notifications) are stored before the entries are: if
    // storing either fails, nothing is acknowledged and the reporter repeats, and the mailer's message ids (derived
    // from the entry ids) make the repeat enqueue nothing twice.
    private Task MailAboutAsync(IReadOnlyList<ActivityEntry> entries) =>
        GrainFactory.GetGrain<IActivityMailerGrain>(Id).MailAbout(State.ToView(Id), entries);

    public Task<IReadOnlyList<ActivityEntry>> GetActivity()
    {
        EnsureCreated();
        return Task.FromResult<IReadOnlyList<ActivityEntry>>([.. State.Activity]);
    }

    public Task<ActivityVerification> VerifyActivity()
    {
        EnsureCreated();
        return Task.FromResult(ActivityChain.Verify(State.Activity));
    }

    private void EnsureCreated()
    {
        if (!State.Created)
        {
            throw PortalRuleViolation.NotFound("project.not_found", "There is no such project.");
        }
    }

    private Task TrackOnClientAsync() =>
        NotifyAsync(
            "update the client's projects",
            () => GrainFactory.GetGrain<IClientGrain>(State.ClientId).TrackProject(State.ToClientEntry(Id)));
}
