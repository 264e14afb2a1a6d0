namespace Portal.Domain;

/// <summary>A client's contact details and the index behind "All Projects".</summary>
public sealed class ClientState : IOwesNotices
{
    public bool Created { get; set; }
    public Guid CompanyId { get; set; }
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public string? Phone { get; set; }
    public string? Address { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<ClientProjectEntry> Projects { get; set; } = [];
    /// <summary>Notifications owed to other grains for stored changes (see <see cref="Notices"/>).</summary>
    public Notices PendingNotices { get; set; }

    public void Create(Guid companyId, ClientDetails details, DateTimeOffset now)
    {
        if (Created)
        {
            throw new PortalRuleViolation(RuleCodes.ClientExists, "This client already exists.");
        }
        Validate.Id(companyId, RuleCodes.ValidationCompany, "company");
        var (name, email, phone, address) = Clean(details);

        Created = true;
        CompanyId = companyId;
        (Name, Email, Phone, Address) = (name, email, phone, address);
        CreatedAt = now;
    }

    public void Update(ClientDetails details)
    {
        EnsureCreated();
        (Name, Email, Phone, Address) = Clean(details);
    }

    /// <summary>Adds or refreshes a project line. Returns false when the index already says exactly this.</summary>
    public bool TrackProject(ClientProjectEntry entry)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(entry);
        Validate.Id(entry.ProjectId, RuleCodes.ValidationProject, "project");
        var index = Projects.FindIndex(p => p.ProjectId == entry.ProjectId);
        if (index >= 0 && Projects[index] == entry)
        {
            return false;
        }
        if (index >= 0)
        {
            Projects[index] = entry;
        }
        else
        {
            Projects.Add(entry);
        }
        return true;
    }

    public ClientView ToView(Guid id)
    {
        EnsureCreated();
        return new ClientView(id, CompanyId, Name, Email, Phone, Address, CreatedAt);
    }

    public ClientProjectsView ToProjectsView()
    {
        EnsureCreated();
        // Newest first: the project a client is most likely looking for is the latest one.
        var ordered = Projects.OrderByDescending(p => p.Number).ToList();
        return new ClientProjectsView(
            ordered.Where(p => p.Status == ProjectStatus.Open).ToList(),
            ordered.Where(p => p.Status == ProjectStatus.Complete).ToList());
    }

    private static (string Name, string Email, string? Phone, string? Address) Clean(ClientDetails details)
    {
        if (details is null)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationName, "The client's details are missing.");
        }
        return (
            Validate.Name(details.Name, RuleCodes.ValidationName, "client name"),
            Validate.Email(details.Email),
            Validate.Optional(details.Phone),
            Validate.Optional(details.Address));
    }

    private void EnsureCreated()
    {
        if (!Created)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.ClientNotFound, "There is no such client.");
        }
    }
}
