using System.Collections.Concurrent;

namespace Portal.Tests.Cluster;

/// <summary>Everything the API acknowledged (or a re-read proved applied) during a run, to be found again afterwards.</summary>
public sealed class Acknowledged
{
    public ConcurrentDictionary<Guid, string> Clients { get; } = new();
    public ConcurrentDictionary<Guid, string> Projects { get; } = new();
    /// <summary>Each acknowledged project's client, and each acknowledged document's project, to find them in the indexes.</summary>
    public ConcurrentDictionary<Guid, Guid> Owners { get; } = new();
    public ConcurrentDictionary<Guid, bool> Proposals { get; } = new();
    public ConcurrentDictionary<Guid, bool> Invoices { get; } = new();
    public ConcurrentDictionary<Guid, (Guid InvoiceId, decimal Amount)> Payments { get; } = new();

    public int Count => Clients.Count + Projects.Count + Proposals.Count + Proposals.Count(p => p.Value)
        + Invoices.Count + Invoices.Count(i => i.Value) + Payments.Count;
}
