namespace Portal;

[GenerateSerializer, Immutable]
public sealed record BankDetails(
    [property: Id(0)] string AccountName,
    [property: Id(1)] string SortCode,
    [property: Id(2)] string AccountNumber,
    [property: Id(3)] string? Iban = null,
    [property: Id(4)] string? Bic = null);

/// <summary>One version of the company's terms of business; proposals pin the version they were sent with.</summary>
[GenerateSerializer, Immutable]
public sealed record TermsOfBusiness(
    [property: Id(0)] int Version,
    [property: Id(1)] string Text,
    [property: Id(2)] string? Url);

[GenerateSerializer, Immutable]
public sealed record PaymentMethods(
    [property: Id(0)] bool BankTransfer,
    [property: Id(1)] bool Card);

/// <summary>Everything staff can set on the company. Null means "leave as it is" when updating.</summary>
[GenerateSerializer, Immutable]
public sealed record CompanySettings
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string? LogoUrl { get; init; }
    [Id(2)] public string? BrandColour { get; init; }
    [Id(3)] public IReadOnlyList<string>? Accreditations { get; init; }
    [Id(4)] public string? VatNumber { get; init; }
    [Id(5)] public string? CompanyRegistrationNumber { get; init; }
    [Id(6)] public string? Address { get; init; }
    [Id(7)] public string? Email { get; init; }
    [Id(8)] public string? Phone { get; init; }
    [Id(9)] public BankDetails? BankDetails { get; init; }
    /// <summary>New terms text; setting it creates the next terms version.</summary>
    [Id(10)] public string? TermsText { get; init; }
    [Id(11)] public string? TermsUrl { get; init; }
    [Id(12)] public PaymentMethods? PaymentMethods { get; init; }
    [Id(13)] public string? Currency { get; init; }
    [Id(14)] public string? TimeZone { get; init; }
    [Id(15)] public string? NotificationEmail { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record CompanyView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? LogoUrl,
    [property: Id(3)] string BrandColour,
    [property: Id(4)] IReadOnlyList<string> Accreditations,
    [property: Id(5)] string? VatNumber,
    [property: Id(6)] string? CompanyRegistrationNumber,
    [property: Id(7)] string? Address,
    [property: Id(8)] string? Email,
    [property: Id(9)] string? Phone,
    [property: Id(10)] BankDetails? BankDetails,
    [property: Id(11)] TermsOfBusiness? Terms,
    [property: Id(12)] PaymentMethods PaymentMethods,
    [property: Id(13)] string Currency,
    [property: Id(14)] string TimeZone,
    [property: Id(15)] string? NotificationEmail);

[GenerateSerializer]
public enum DocumentKind
{
    Quote = 0,
    Estimate = 1,
    Invoice = 2,
}

/// <summary>What the company remembers about a portal link so staff can revoke it by id.</summary>
[GenerateSerializer, Immutable]
public sealed record PortalLinkRecord(
    [property: Id(0)] Guid LinkId,
    [property: Id(1)] Guid ClientId,
    [property: Id(2)] string TokenHash,
    [property: Id(3)] DateTimeOffset ExpiresAt);
