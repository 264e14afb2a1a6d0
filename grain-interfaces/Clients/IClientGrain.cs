namespace Portal;

[GenerateSerializer, Immutable]
public sealed record ClientDetails(
    [property: Id(0)] string Name,
    [property: Id(1)] string Email,
    [property: Id(2)] string? Phone = null,
    [property: Id(3)] string? Address = null);

[GenerateSerializer, Immutable]
public sealed record ClientView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid CompanyId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Email,
    [property: Id(4)] string? Phone,
    [property: Id(5)] string? Address,
    [property: Id(6)] DateTimeOffset CreatedAt);

/// <summary>One line of "All Projects".</summary>
[GenerateSerializer, Immutable]
public sealed record ClientProjectEntry(
    [property: Id(0)] Guid ProjectId,
    [property: Id(1)] int Number,
    [property: Id(2)] string Title,
    [property: Id(3)] ProjectStatus Status);

[GenerateSerializer, Immutable]
public sealed record ClientProjectsView(
    [property: Id(0)] IReadOnlyList<ClientProjectEntry> Open,
    [property: Id(1)] IReadOnlyList<ClientProjectEntry> Complete);

/// <summary>A client of the company: contact details and the index behind "All Projects".</summary>
public interface IClientGrain : IGrainWithGuidKey
{
    /// <summary>Creates the client; <c>client.exists</c> if already created, 400 codes for invalid details.</summary>
    Task<ClientView> Create(Guid companyId, ClientDetails details);

    /// <summary><c>client.not_found</c> (404) when never created.</summary>
    Task<ClientView> Get();

    Task<bool> Exists();

    Task<ClientView> Update(ClientDetails details);

    /// <summary>Adds or refreshes a project in the client's index (idempotent).</summary>
    Task TrackProject(ClientProjectEntry entry);

    Task<ClientProjectsView> GetProjects();
}
