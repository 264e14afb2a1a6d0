namespace Portal.Domain;

/// <summary>
/// The state of a document (proposal, invoice) whose changes its project must hear about. The report is stored
/// with the change itself, so a report that could not be delivered is retried rather than lost.
/// </summary>
public interface IReportsToProject
{
    Guid ProjectId { get; }

    /// <summary>True from a stored change until the project has acknowledged the document's current summary.</summary>
    bool ProjectStale { get; set; }

    /// <summary>Activity entries stored with a change and not yet acknowledged by the project.</summary>
    List<ActivityInput> PendingActivity { get; set; }
}
