namespace Portal;

[GenerateSerializer]
public enum ProjectStatus
{
    Open = 0,
    Complete = 1,
}

[GenerateSerializer, Immutable]
public sealed record CreateProject(
    [property: Id(0)] Guid CompanyId,
    [property: Id(1)] Guid ClientId,
    [property: Id(2)] int Number,
    [property: Id(3)] string Title,
    [property: Id(4)] string? SiteAddress);

/// <summary>An event on the project ("Your bookings"): date, timings and name only are shown to the client.</summary>
[GenerateSerializer, Immutable]
public sealed record Booking(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] DateTimeOffset EndsAt);

/// <summary>Metadata of a shared file; the bytes live in the file-content table, never in grain state.</summary>
[GenerateSerializer, Immutable]
public sealed record SharedFile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string ContentType,
    [property: Id(3)] long Size,
    [property: Id(4)] string Sha256,
    [property: Id(5)] DateTimeOffset SharedAt);

[GenerateSerializer, Immutable]
public sealed record ProposalSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Number,
    [property: Id(2)] DocumentKind Kind,
    [property: Id(3)] ProposalStatus Status,
    [property: Id(4)] decimal Total,
    [property: Id(5)] string Currency,
    [property: Id(6)] DateTimeOffset? SentAt,
    [property: Id(7)] DateOnly ValidUntil);

[GenerateSerializer, Immutable]
public sealed record InvoiceSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Number,
    [property: Id(2)] InvoiceStatus Status,
    [property: Id(3)] decimal Total,
    [property: Id(4)] decimal Balance,
    [property: Id(5)] string Currency,
    [property: Id(6)] DateTimeOffset? SentAt,
    [property: Id(7)] DateOnly DueDate,
    [property: Id(8)] IReadOnlyList<PaymentView> Payments);

/// <summary>The whole project overview in one call (the five sections of the portal page and more).</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid CompanyId,
    [property: Id(2)] Guid ClientId,
    [property: Id(3)] int Number,
    [property: Id(4)] string Title,
    [property: Id(5)] string? SiteAddress,
    [property: Id(6)] ProjectStatus Status,
    [property: Id(7)] IReadOnlyList<ProposalSummary> Proposals,
    [property: Id(8)] IReadOnlyList<Booking> Bookings,
    [property: Id(9)] IReadOnlyList<SharedFile> Files,
    [property: Id(10)] IReadOnlyList<InvoiceSummary> Invoices,
    [property: Id(11)] long Version,
    [property: Id(12)] DateTimeOffset CreatedAt);
