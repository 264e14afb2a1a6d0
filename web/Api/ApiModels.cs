using System.ComponentModel;

namespace Portal.Web.Api;

// Requests: every field nullable so a missing field is answered with a 400 naming it, not a binding failure.

public sealed record CreateClientRequest(string? Name, string? Email, string? Phone, string? Address);

public sealed record CreateProjectRequest(Guid? ClientId, string? Title, string? SiteAddress);

public sealed record LineRequest(string? Description, decimal? Quantity, decimal? UnitPrice, decimal? VatRate);

public sealed record CreateProposalRequest(DocumentKind? Kind, DateOnly? ValidUntil, IReadOnlyList<LineRequest>? Lines, string? Notes);

public sealed record EditProposalRequest(DateOnly? ValidUntil, IReadOnlyList<LineRequest>? Lines, string? Notes);

public sealed record CreateInvoiceRequest(DateOnly? DueDate, IReadOnlyList<LineRequest>? Lines, Guid? FromProposalId, string? Notes);

public sealed record RecordPaymentRequest(decimal? Amount, PaymentMethod? Method, string? Reference, DateOnly? ReceivedOn, Guid? PaymentId);

public sealed record CreateEventRequest(string? Name, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt);

public sealed record CreatePortalLinkRequest(LinkTargetKind? Target, Guid? TargetId);

/// <summary>A new key: its name (<c>name</c>, or <c>label</c> as before) and role (<c>admin</c>, the default, or <c>member</c>).</summary>
public sealed record CreateApiKeyRequest(string? Label, string? Name, string? Role);

// Responses.

public sealed record CreatedResponse(Guid Id);

public sealed record ClientResponse(Guid Id, string Name, string Email, string? Phone, string? Address, DateTimeOffset CreatedAt, ClientProjectsView Projects);

public sealed record CreatedNumberedResponse(Guid Id, string Number);

public sealed record CreatedProjectResponse(Guid Id, int Number);

public sealed record SendResponse(string Status, string PortalUrl);

public sealed record StatusResponse(string Status);

public sealed record PortalLinkResponse(Guid Id, string Url, DateTimeOffset ExpiresAt);

/// <summary>A new API key: <see cref="Key"/> is shown here once and never again (only its hash is stored).</summary>
public sealed record CreatedApiKeyResponse(Guid Id, string Label, DateTimeOffset CreatedAt, string Key);

/// <summary>A staff hub access token (the <c>access_token</c> of <c>/hubs/staff</c>) and when it stops opening connections.</summary>
public sealed record LiveTokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>How many of the client's links were still active and are now revoked.</summary>
public sealed record RevokedLinksResponse(int Revoked);

public sealed record PaymentRecordedResponse(Guid PaymentId, string Status, decimal AmountPaid, decimal Balance);

/// <summary>The form of <c>POST /api/projects/{id}/files</c> (read by hand from the multipart body; here for the API document).</summary>
public sealed record ShareFileForm(
    IFormFile File,
    [property: Description("\"false\" shares the file without emailing the client.")] string? Notify = null);

public sealed record FileResponse(Guid Id, string Name, string ContentType, long Size, string Sha256)
{
    /// <summary>The link emailed to the client ("View files"); null when the upload asked not to notify.</summary>
    public string? PortalUrl { get; init; }
    public Guid? MessageId { get; init; }
    /// <summary>The id of that link; null when the upload asked not to notify.</summary>
    public Guid? LinkId { get; init; }
}

/// <summary>One entry of the company audit log: who did what, and its link in the hash chain.</summary>
public sealed record CompanyAuditEntryResponse(long Sequence, DateTimeOffset At, string Actor, string Action, string Detail, string Hash);

/// <summary><c>GET /api/company/audit</c>: every entry, oldest first, and the recomputed chain.</summary>
public sealed record CompanyAuditResponse(IReadOnlyList<CompanyAuditEntryResponse> Entries, ActivityVerification Verification)
{
    public static CompanyAuditResponse From(CompanyAuditView view) =>
        new([.. view.Entries.Select(e => new CompanyAuditEntryResponse(e.Sequence, e.At, e.By.Name, e.Type, e.Detail ?? "", e.Hash))], view.Verification);
}
