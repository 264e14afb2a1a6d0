using System.Globalization;

namespace Portal;

/// <summary>
/// An amount in a currency, in major units. Every arithmetic result is rounded to the currency's decimals (two for
/// GBP, none for JPY, three for KWD; see <see cref="Currencies"/>), half away from zero, so amounts never carry
/// fractions of the smallest unit.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct Money
{
    public const string DefaultCurrency = "GBP";

    public Money(decimal amount, string currency)
    {
        if (string.IsNullOrWhiteSpace(currency) || currency.Length != 3)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.MoneyCurrency, $"'{currency}' is not a three-letter currency code.");
        }
        Currency = currency.ToUpperInvariant();
        Amount = Currencies.Round(amount, Currency);
    }

    [Id(0)] public decimal Amount { get; init; }
    [Id(1)] public string Currency { get; init; }

    public static Money Zero(string currency) => new(0m, currency);

    public bool IsZero => Amount == 0m;
    public bool IsNegative => Amount < 0m;

    public static Money operator +(Money a, Money b) => new(a.Amount + b.Amount, SameCurrency(a, b));
    public static Money operator -(Money a, Money b) => new(a.Amount - b.Amount, SameCurrency(a, b));
    public static bool operator >(Money a, Money b) => Compare(a, b) > 0;
    public static bool operator <(Money a, Money b) => Compare(a, b) < 0;
    public static bool operator >=(Money a, Money b) => Compare(a, b) >= 0;
    public static bool operator <=(Money a, Money b) => Compare(a, b) <= 0;

    private static int Compare(Money a, Money b)
    {
        SameCurrency(a, b);
        return a.Amount.CompareTo(b.Amount);
    }

    private static string SameCurrency(Money a, Money b) =>
        string.Equals(a.Currency, b.Currency, StringComparison.Ordinal)
            ? a.Currency
            : throw PortalRuleViolation.Invalid(RuleCodes.MoneyCurrencyMismatch, $"Cannot combine {a.Currency} and {b.Currency}.");

    /// <summary>Formats for people, e.g. "£1,250.00" for GBP, "JPY 5,000", "KWD 12.345".</summary>
    public string Format()
    {
        var symbol = Currency switch
        {
            "GBP" => "£",
            "EUR" => "€",
            "USD" => "$",
            _ => null,
        };
        var number = Amount.ToString(Currencies.Decimals(Currency) switch
        {
            0 => "#,##0",
            3 => "#,##0.000",
            _ => "#,##0.00",
        }, CultureInfo.InvariantCulture);
        if (symbol is null)
        {
            return $"{Currency} {number}";
        }
        return Amount < 0 ? $"-{symbol}{number[1..]}" : $"{symbol}{number}";
    }

    public override string ToString() => Format();
}
