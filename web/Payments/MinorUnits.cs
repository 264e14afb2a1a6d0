namespace Portal.Web.Payments;

/// <summary>
/// Stripe counts money in whole minor units of the currency: pence for GBP (×100), yen for JPY (×1), fils for KWD
/// (×1000). Portal keeps major units rounded to the currency's decimals (<see cref="Currencies"/>), so the
/// conversion is exact both ways. Two of Stripe's own rules apply on top: ISK is sent with two (always zero)
/// decimals, and amounts in the three-decimal currencies must end in a zero.
/// </summary>
public static class MinorUnits
{
    /// <summary>How many of Stripe's units make one major unit of the currency.</summary>
    public static long Factor(string currency)
    {
        var code = currency.ToUpperInvariant();
        return code == "ISK" ? 100 : Currencies.Decimals(code) switch
        {
            0 => 1,
            3 => 1000,
            _ => 100,
        };
    }

    /// <summary>True when Stripe can charge exactly this amount in this currency.</summary>
    public static bool CanCharge(decimal amount, string currency)
    {
        var code = currency.ToUpperInvariant();
        if (!Currencies.IsSupported(code) || amount <= 0m)
        {
            return false;
        }
        var minor = amount * Factor(code);
        return minor == decimal.Truncate(minor) && minor <= long.MaxValue && (Currencies.Decimals(code) != 3 || minor % 10 == 0);
    }

    /// <summary>The amount in Stripe's units; refuses an amount Stripe cannot charge exactly (check <see cref="CanCharge"/>).</summary>
    public static long FromMajor(decimal amount, string currency) =>
        CanCharge(amount, currency)
            ? (long)(amount * Factor(currency))
            : throw new ArgumentOutOfRangeException(nameof(amount), amount, $"Stripe cannot charge exactly {amount} {currency}.");

    public static decimal ToMajor(long amount, string currency) => (decimal)amount / Factor(currency);
}
