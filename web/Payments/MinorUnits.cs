namespace Portal.Web.Payments;

/// <summary>
/// Stripe counts money in the currency's smallest unit (pence for GBP); a few currencies have no minor unit.
/// Portal keeps major units with two places, so conversion is exact both ways.
/// </summary>
public static class MinorUnits
{
    // Stripe's zero-decimal currencies.
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.OrdinalIgnoreCase)
    {
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static decimal Factor(string currency) => ZeroDecimal.Contains(currency) ? 1m : 100m;

    public static long FromMajor(decimal amount, string currency) =>
        (long)Math.Round(amount * Factor(currency), 0, MidpointRounding.AwayFromZero);

    public static decimal ToMajor(long amount, string currency) => amount / Factor(currency);
}
