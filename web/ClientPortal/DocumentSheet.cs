namespace Portal.Web.ClientPortal;

/// <summary>What the printed-document part of a quote, estimate or invoice page shows.</summary>
public sealed record DocumentSheet(
    string Title,
    string Reference,
    CompanyView Company,
    ClientView Client,
    string? SiteAddress,
    IReadOnlyList<(string Label, string Value)> Dates,
    IReadOnlyList<PricedLine> Lines,
    DocumentTotals Totals,
    string? Notes,
    (string Label, string Tone) Status);
