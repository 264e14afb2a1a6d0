namespace Portal.Domain;

/// <summary>
/// Notifications a grain owes other grains for a change it has stored, kept in its state until made: written in the
/// same write as the change, so a silo that dies between the write and the notification leaves them to its retry.
/// </summary>
[Flags]
public enum Notices
{
    None = 0,
    /// <summary>The project's entry in its client's "All Projects" (added, completed, reopened).</summary>
    ClientProjects = 1,
    /// <summary>The project in its company's index.</summary>
    CompanyProjects = 2,
    /// <summary>The client in its company's index.</summary>
    CompanyClients = 4,
    /// <summary>The link in its company's list, where staff see and revoke it.</summary>
    CompanyLinks = 8,
}
