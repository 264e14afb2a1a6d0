namespace Portal.Grains;

/// <summary>The check a proposal or invoice makes before it exists: its project is there, open, and is the client's.</summary>
internal static class ProjectGuard
{
    public static async Task EnsureOpenProjectAsync(IGrainFactory grains, Guid projectId, Guid companyId, Guid clientId)
    {
        if (projectId == Guid.Empty)
        {
            throw PortalRuleViolation.Invalid("validation.project", "The project is missing.");
        }
        var project = await grains.GetGrain<IProjectGrain>(projectId).Get();
        if (project.Status == ProjectStatus.Complete)
        {
            throw new PortalRuleViolation("project.complete", $"Project #{project.Number} is complete; reopen it to add documents.");
        }
        if (project.CompanyId != companyId || project.ClientId != clientId)
        {
            throw PortalRuleViolation.Invalid("validation.project", $"Project #{project.Number} belongs to another client.");
        }
    }
}
