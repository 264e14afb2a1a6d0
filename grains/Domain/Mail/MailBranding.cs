using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Domain;

/// <summary>
/// What every message shows of the company: its logo (or its name as a wordmark), the colour of the button and
/// the footer (address, accreditations, VAT number, company registration number).
/// </summary>
public sealed partial record MailBranding(
    string CompanyName,
    string? LogoUrl,
    string ButtonColour,
    string? Address,
    string? Email,
    string? Phone,
    IReadOnlyList<string> Accreditations,
    string? VatNumber,
    string? CompanyRegistrationNumber,
    string TimeZone)
{
    public const string FallbackColour = "#1d4ed8";

    /// <summary>
    /// The company's branding for email. A logo is used only as an absolute http(s) URL (mail clients cannot
    /// resolve anything else); a site-relative one is made absolute with <paramref name="publicBaseUrl"/> when known.
    /// </summary>
    public static MailBranding From(CompanyView company, string? publicBaseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(company);
        return new MailBranding(
            company.Name,
            AbsoluteLogo(company.LogoUrl, publicBaseUrl),
            Readable(company.BrandColour) ? company.BrandColour.ToLowerInvariant() : FallbackColour,
            company.Address,
            company.Email,
            company.Phone,
            company.Accreditations ?? [],
            company.VatNumber,
            company.CompanyRegistrationNumber,
            company.TimeZone);
    }

    /// <summary>White button text needs AA contrast (4.5:1) on the brand colour; otherwise a neutral blue is used.</summary>
    public static bool Readable(string? colour)
    {
        if (colour is null || !HexColour().IsMatch(colour))
        {
            return false;
        }
        double Linear(int offset)
        {
            var c = int.Parse(colour.AsSpan(1 + offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        var luminance = 0.2126 * Linear(0) + 0.7152 * Linear(2) + 0.0722 * Linear(4);
        return 1.05 / (luminance + 0.05) >= 4.5;
    }

    public static string? AbsoluteLogo(string? logoUrl, string? publicBaseUrl)
    {
        if (string.IsNullOrWhiteSpace(logoUrl))
        {
            return null;
        }
        var trimmed = logoUrl.Trim();
        // Checked first: on Unix "/img/logo.png" would otherwise parse as an absolute file: URI.
        if (trimmed.StartsWith('/'))
        {
            return !trimmed.StartsWith("//", StringComparison.Ordinal)
                && Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var origin) && IsWeb(origin)
                && Uri.TryCreate(origin, trimmed, out var resolved)
                ? resolved.AbsoluteUri
                : null;
        }
        return Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute) && IsWeb(absolute) ? absolute.AbsoluteUri : null;
    }

    internal static bool IsWeb(Uri uri) => uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp;

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColour();
}
