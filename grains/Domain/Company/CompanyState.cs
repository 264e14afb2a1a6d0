namespace Portal.Domain;

/// <summary>The company: branding, footer, bank details, versioned terms, number sequences and indexes.</summary>
public sealed class CompanyState : IOwesAudit
{
    /// <summary>Audit entries stored with a change and not yet delivered to the company audit log.</summary>
    public List<AuditRecord> PendingAudit { get; set; } = [];

    public const string DefaultBrandColour = "#1d4ed8";
    public const string DefaultTimeZone = "Europe/London";

    public bool Created { get; set; }
    public string Name { get; set; } = "";
    public string? LogoUrl { get; set; }
    public string BrandColour { get; set; } = DefaultBrandColour;
    public List<string> Accreditations { get; set; } = [];
    public string? VatNumber { get; set; }
    public string? CompanyRegistrationNumber { get; set; }
    public string? Address { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public BankDetails? BankDetails { get; set; }
    /// <summary>Every terms version ever published; proposals pin one, so old versions are kept.</summary>
    public List<TermsOfBusiness> TermsHistory { get; set; } = [];
    public PaymentMethods PaymentMethods { get; set; } = new(BankTransfer: true, Card: false);
    public string Currency { get; set; } = Money.DefaultCurrency;
    public string TimeZone { get; set; } = DefaultTimeZone;
    public string? NotificationEmail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last number handed out per sequence (projects start after 1000, documents after 0).</summary>
    public int LastProjectNumber { get; set; } = 1000;
    public int LastQuoteNumber { get; set; }
    public int LastEstimateNumber { get; set; }
    public int LastInvoiceNumber { get; set; }

    public List<Guid> ClientIds { get; set; } = [];
    public List<Guid> ProjectIds { get; set; } = [];
    public Dictionary<Guid, PortalLinkRecord> PortalLinks { get; set; } = [];

    public TermsOfBusiness? CurrentTerms => TermsHistory.Count == 0 ? null : TermsHistory[^1];

    /// <summary>The published terms of that version, or null when there is no such version.</summary>
    public TermsOfBusiness? TermsVersion(int version)
    {
        EnsureCreated();
        return TermsHistory.Find(t => t.Version == version);
    }

    public void Create(string name, CompanySettings? settings, DateTimeOffset now)
    {
        if (Created)
        {
            throw new PortalRuleViolation(RuleCodes.CompanyExists, "This company already exists.");
        }
        var cleanName = Validate.Name(name, RuleCodes.ValidationName, "company name");
        var apply = Prepare(settings ?? new CompanySettings());

        Created = true;
        Name = cleanName;
        CreatedAt = now;
        apply();
    }

    public void UpdateSettings(CompanySettings settings)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(settings);
        var newName = settings.Name is null ? null : Validate.Name(settings.Name, RuleCodes.ValidationName, "company name");
        var apply = Prepare(settings);
        if (newName is not null)
        {
            Name = newName;
        }
        apply();
    }

    public int AllocateProjectNumber()
    {
        EnsureCreated();
        return ++LastProjectNumber;
    }

    public string AllocateDocumentNumber(DocumentKind kind)
    {
        EnsureCreated();
        return kind switch
        {
            DocumentKind.Quote => $"Q-{++LastQuoteNumber:D4}",
            DocumentKind.Estimate => $"E-{++LastEstimateNumber:D4}",
            DocumentKind.Invoice => $"INV-{++LastInvoiceNumber:D4}",
            _ => throw PortalRuleViolation.Invalid(RuleCodes.ValidationKind, $"'{kind}' is not a document kind."),
        };
    }

    /// <summary>Returns false when the client was already registered.</summary>
    public bool RegisterClient(Guid clientId)
    {
        EnsureCreated();
        Validate.Id(clientId, RuleCodes.ValidationClient, "client");
        if (ClientIds.Contains(clientId))
        {
            return false;
        }
        ClientIds.Add(clientId);
        return true;
    }

    public bool RegisterProject(Guid projectId)
    {
        EnsureCreated();
        Validate.Id(projectId, RuleCodes.ValidationProject, "project");
        if (ProjectIds.Contains(projectId))
        {
            return false;
        }
        ProjectIds.Add(projectId);
        return true;
    }

    /// <summary>
    /// How long an expired link stays in the company's index: staff still see it listed as expired for a day, then
    /// it is forgotten (its link grain keeps refusing it either way), so the index holds only the links that count.
    /// </summary>
    public static readonly TimeSpan ExpiredLinkGrace = TimeSpan.FromDays(1);

    /// <summary>
    /// Adds the link to the index and forgets the links past their expiry and grace. Returns false when nothing
    /// changed (a retried registration, or a link registered only after it was past its grace).
    /// </summary>
    public bool RegisterPortalLink(PortalLinkRecord link, DateTimeOffset now)
    {
        EnsureCreated();
        ArgumentNullException.ThrowIfNull(link);
        Validate.Id(link.LinkId, RuleCodes.ValidationLink, "link id");
        var pruned = PruneExpiredLinks(now);
        if (IsForgotten(link, now) || (PortalLinks.TryGetValue(link.LinkId, out var existing) && existing == link))
        {
            return pruned > 0;
        }
        PortalLinks[link.LinkId] = link;
        return true;
    }

    /// <summary>Forgets the links whose expiry (plus <see cref="ExpiredLinkGrace"/>) is past; returns how many.</summary>
    public int PruneExpiredLinks(DateTimeOffset now)
    {
        var gone = PortalLinks.Values.Where(l => IsForgotten(l, now)).Select(l => l.LinkId).ToList();
        foreach (var id in gone)
        {
            PortalLinks.Remove(id);
        }
        return gone.Count;
    }

    /// <summary>The link record, or null when the company never issued it or has forgotten it.</summary>
    public PortalLinkRecord? FindPortalLink(Guid linkId, DateTimeOffset now)
    {
        EnsureCreated();
        return PortalLinks.GetValueOrDefault(linkId) is { } link && !IsForgotten(link, now) ? link : null;
    }

    public IReadOnlyList<PortalLinkRecord> ListPortalLinks(Guid clientId, DateTimeOffset now)
    {
        EnsureCreated();
        return [.. PortalLinks.Values.Where(l => l.ClientId == clientId && !IsForgotten(l, now)).OrderBy(l => l.ExpiresAt).ThenBy(l => l.LinkId)];
    }

    private static bool IsForgotten(PortalLinkRecord link, DateTimeOffset now) => now >= link.ExpiresAt + ExpiredLinkGrace;

    public CompanyView ToView(Guid id)
    {
        EnsureCreated();
        return new CompanyView(
            id, Name, LogoUrl, BrandColour, [.. Accreditations], VatNumber, CompanyRegistrationNumber, Address, Email,
            Phone, BankDetails, CurrentTerms, PaymentMethods, Currency, TimeZone, NotificationEmail);
    }

    public void EnsureCreated()
    {
        if (!Created)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.CompanyNotFound, "There is no such company.");
        }
    }

    // Validates every value first and returns the change to apply, so invalid settings change nothing.
    private Action Prepare(CompanySettings s)
    {
        var colour = s.BrandColour is null ? null : Validate.BrandColour(s.BrandColour);
        var currency = s.Currency is null ? null : Validate.Currency(s.Currency);
        var timeZone = s.TimeZone is null ? null : Validate.TimeZone(s.TimeZone);
        var email = s.Email is null ? null : Validate.OptionalEmail(s.Email);
        var notificationEmail = s.NotificationEmail is null ? null : Validate.OptionalEmail(s.NotificationEmail);
        if (s.TermsText is { } text && string.IsNullOrWhiteSpace(text))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationTerms, "The terms of business cannot be empty.");
        }
        if (s.BankDetails is { } bank
            && (string.IsNullOrWhiteSpace(bank.AccountName) || string.IsNullOrWhiteSpace(bank.SortCode) || string.IsNullOrWhiteSpace(bank.AccountNumber)))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationBankDetails, "Bank details need an account name, sort code and account number.");
        }
        var accreditations = s.Accreditations?.Select(a => a?.Trim() ?? "").Where(a => a.Length > 0).ToList();

        return () =>
        {
            if (s.LogoUrl is not null) LogoUrl = Validate.Optional(s.LogoUrl);
            if (colour is not null) BrandColour = colour;
            if (accreditations is not null) Accreditations = accreditations;
            if (s.VatNumber is not null) VatNumber = Validate.Optional(s.VatNumber);
            if (s.CompanyRegistrationNumber is not null) CompanyRegistrationNumber = Validate.Optional(s.CompanyRegistrationNumber);
            if (s.Address is not null) Address = Validate.Optional(s.Address);
            if (s.Email is not null) Email = email;
            if (s.Phone is not null) Phone = Validate.Optional(s.Phone);
            if (s.BankDetails is not null) BankDetails = s.BankDetails;
            if (s.PaymentMethods is not null) PaymentMethods = s.PaymentMethods;
            if (currency is not null) Currency = currency;
            if (timeZone is not null) TimeZone = timeZone;
            if (s.NotificationEmail is not null) NotificationEmail = notificationEmail;
            if (s.TermsText is not null)
            {
                TermsHistory.Add(new TermsOfBusiness((CurrentTerms?.Version ?? 0) + 1, s.TermsText.Trim(), Validate.Optional(s.TermsUrl) ?? CurrentTerms?.Url));
            }
            else if (s.TermsUrl is not null && CurrentTerms is { } current)
            {
                // A new address for the same text is not a new version of the terms.
                TermsHistory[^1] = current with { Url = Validate.Optional(s.TermsUrl) };
            }
        };
    }
}
