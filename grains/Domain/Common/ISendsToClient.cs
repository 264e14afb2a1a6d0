namespace Portal.Domain;

/// <summary>A document that is sent to its client by email with a portal link (proposals and invoices).</summary>
public interface ISendsToClient : IReportsToProject
{
    Guid CompanyId { get; }

    Guid ClientId { get; }

    /// <summary>How many sends have been stored; numbers the next one, from which its ids derive.</summary>
    int SendCount { get; set; }

    /// <summary>A send stored with the Sent status whose link or email is not yet known to be done; null otherwise.</summary>
    PendingSend? PendingSend { get; set; }
}
