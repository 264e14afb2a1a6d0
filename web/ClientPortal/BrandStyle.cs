using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Web.ClientPortal;

/// <summary>
/// The company's colour for primary buttons and links, served as a stylesheet (no inline styles under our CSP).
/// A colour without AA contrast against white falls back to a neutral blue.
/// </summary>
public static partial class BrandStyle
{
    public const string Fallback = "#1d4ed8";

    public static string Css(string? colour)
    {
        var brand = Usable(colour) ? colour!.ToLowerInvariant() : Fallback;
        return $":root {{ --brand: {brand}; }}\n";
    }

    public static bool Usable(string? colour) =>
        colour is not null && HexColour().IsMatch(colour) && ContrastWithWhite(colour) >= 4.5;

    public static double ContrastWithWhite(string hex)
    {
        double Channel(int offset)
        {
            var c = int.Parse(hex.AsSpan(1 + offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        var luminance = 0.2126 * Channel(0) + 0.7152 * Channel(2) + 0.0722 * Channel(4);
        return 1.05 / (luminance + 0.05);
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColour();
}
