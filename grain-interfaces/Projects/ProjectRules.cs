namespace Portal;

/// <summary>
/// The one "a complete project takes nothing new" rule. The project's own state, a document being created for it and
/// the file upload (which checks before storing the bytes) all ask here, so the refusal reads the same everywhere.
/// </summary>
public static class ProjectRules
{
    /// <summary>Refuses with <see cref="RuleCodes.ProjectComplete"/>; <paramref name="action"/> reads "add a proposal to".</summary>
    public static void EnsureOpen(ProjectStatus status, int number, string action)
    {
        if (status == ProjectStatus.Complete)
        {
            throw new PortalRuleViolation(RuleCodes.ProjectComplete, $"Project #{number} is complete; reopen it to {action} it.");
        }
    }
}
