namespace Portal.Grains;

/// <summary>
/// Called as a project starts handling a document's report: the work a change leaves for after its own answer
/// (the project summary, the emails its activity calls for, the staff feed). Production registers none. Tests
/// register one to hold that work back or make it fail, and so prove what does not wait for it and that it
/// catches up afterwards.
/// </summary>
public interface IProjectReportHook
{
    /// <summary>Runs before the project applies <paramref name="change"/>; a throw fails the report (it is retried).</summary>
    Task BeforeApplyingAsync(Guid projectId, DocumentChange change);
}
