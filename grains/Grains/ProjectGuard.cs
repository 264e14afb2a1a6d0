namespace Portal.Grains;

/// <summary>The check a proposal or invoice makes before it exists: its project is there, open, and is the client's.</summary>
internal static class ProjectGuard
{
    public static async Task EnsureOpenProjectAsync(IGrainFactory grains, Guid projectId, Guid companyId, Guid clientId)
    {
        if (projectId == Guid.Empty)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationProject, "The project is missing.");
        }
        var project = await grains.GetGrain<IProjectGrain>(projectId).Get();
        ProjectRules.EnsureOpen(project.Status, project.Number, "add documents to");
        if (project.CompanyId != companyId || project.ClientId != clientId)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationProject, $"Project #{project.Number} belongs to another client.");
        }
    }
}
