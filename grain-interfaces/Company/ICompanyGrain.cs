namespace Portal;

/// <summary>The business: branding, footer, bank details, terms, payment methods, number sequences and indexes.</summary>
public interface ICompanyGrain : IGrainWithGuidKey
{
    /// <summary>Creates the company with its name and optional settings; refused if it exists (<c>company.exists</c>).</summary>
    Task<CompanyView> Create(string name, CompanySettings? settings = null);

    /// <summary>The company; <c>company.not_found</c> (404) if it was never created.</summary>
    Task<CompanyView> Get();

    Task<bool> Exists();

    /// <summary>
    /// One published version of the terms of business (a proposal pins the version it was sent with), or null when
    /// the company never published that version; <c>company.not_found</c> (404) if it was never created.
    /// </summary>
    Task<TermsOfBusiness?> GetTerms(int version);

    /// <summary>Applies the non-null settings. Invalid values (colour, currency, time zone) are refused with 400 codes.</summary>
    Task<CompanyView> UpdateSettings(CompanySettings settings);

    /// <summary>Next project number: 1001, 1002, …</summary>
    Task<int> AllocateProjectNumber();

    /// <summary>Next document number: Q-0001 (quote), E-0001 (estimate), INV-0001 (invoice).</summary>
    Task<string> AllocateDocumentNumber(DocumentKind kind);

    Task RegisterClient(Guid clientId);
    Task RegisterProject(Guid projectId);
    Task<IReadOnlyList<Guid>> GetClientIds();
    Task<IReadOnlyList<Guid>> GetProjectIds();

    /// <summary>Adds the link to the company's index, which forgets links a day after they expire.</summary>
    Task RegisterPortalLink(PortalLinkRecord link);
    /// <summary>The link record, or null when the company never issued that link id or has forgotten it (expired over a day ago).</summary>
    Task<PortalLinkRecord?> FindPortalLink(Guid linkId);
    /// <summary>
    /// The links the company issued to the client, oldest expiry first: revoked ones and ones expired less than a
    /// day ago too; older expired ones are forgotten.
    /// </summary>
    Task<IReadOnlyList<PortalLinkRecord>> ListPortalLinks(Guid clientId);
}
