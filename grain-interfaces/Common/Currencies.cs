using System.Collections.Frozen;

namespace Portal;

/// <summary>
/// The currencies a company can invoice in: those Stripe can charge (its presentment currencies), each with the
/// number of decimals its amounts carry. Most have two; JPY, KRW and the other zero-decimal currencies have none;
/// the dinars and the rial (BHD, JOD, KWD, OMR, TND) have three. Every amount Portal stores is rounded to its
/// currency's decimals, so what a client is shown, charged and recorded as paid are the same number.
/// </summary>
public static class Currencies
{
    /// <summary>The decimals of a currency Portal does not know (only amounts stored before it was refused).</summary>
    public const int DefaultDecimals = 2;

    private static readonly FrozenSet<string> ZeroDecimal = FrozenSet.ToFrozenSet(
    [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> ThreeDecimal = FrozenSet.ToFrozenSet(
    [
        "BHD", "JOD", "KWD", "OMR", "TND",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> TwoDecimal = FrozenSet.ToFrozenSet(
    [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BMD", "BND",
        "BOB", "BRL", "BSD", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CNY", "COP", "CRC", "CVE", "CZK", "DKK", "DOP",
        "DZD", "EGP", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF",
        "IDR", "ILS", "INR", "JMD", "KES", "KGS", "KHR", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD", "MDL",
        "MKD", "MMK", "MNT", "MOP", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD",
        "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD", "SCR", "SEK", "SGD", "SHP",
        "SLE", "SOS", "SRD", "SZL", "THB", "TJS", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "UYU", "UZS", "WST",
        "XCD", "YER", "ZAR", "ZMW",
    ], StringComparer.Ordinal);

    /// <summary>Every currency a company can choose, in code order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. ZeroDecimal.Concat(TwoDecimal).Concat(ThreeDecimal).Order(StringComparer.Ordinal)];

    /// <summary>True for a currency Stripe can charge (upper-case ISO 4217 code).</summary>
    public static bool IsSupported(string? code) =>
        code is not null && (TwoDecimal.Contains(code) || ZeroDecimal.Contains(code) || ThreeDecimal.Contains(code));

    /// <summary>How many decimals the currency's amounts carry: 0, 2 or 3.</summary>
    public static int Decimals(string? code) =>
        code is null ? DefaultDecimals
        : ZeroDecimal.Contains(code) ? 0
        : ThreeDecimal.Contains(code) ? 3
        : DefaultDecimals;

    /// <summary>The one rounding rule: to the currency's decimals, midpoint away from zero.</summary>
    public static decimal Round(decimal value, string? currency) =>
        Math.Round(value, Decimals(currency), MidpointRounding.AwayFromZero);
}
