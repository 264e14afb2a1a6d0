using Portal.Domain;

namespace Portal.Tests.Domain;

public class PricingTests
{
    [Fact]
    public void Three_at_33_335_with_20_percent_VAT_rounds_the_net_once_then_the_VAT()
    {
        var line = Pricing.PriceLine(new LineInput("Parts", 3m, 33.335m, 20m), "GBP");

        Assert.Equal(100.01m, line.Net);   // 100.005 rounds half away from zero
        Assert.Equal(20.00m, line.Vat);    // 20% of the rounded 100.01 is 20.002
        Assert.Equal(120.01m, line.Gross);
    }

    [Theory]
    [InlineData(1, 0.005, 0.01)]
    [InlineData(1, 0.004, 0.00)]
    [InlineData(1, 0.015, 0.02)]
    [InlineData(1, 0.025, 0.03)]
    [InlineData(3, 0.335, 1.01)]
    public void Half_a_penny_rounds_away_from_zero_never_to_even(decimal quantity, decimal unitPrice, decimal expectedNet)
    {
        Assert.Equal(expectedNet, Pricing.PriceLine(new LineInput("x", quantity, unitPrice, 0m), "GBP").Net);
    }

    [Theory]
    [InlineData(10.10, 1.77)]    // 1.7675 → 1.77
    [InlineData(0.10, 0.02)]     // 0.0175 → 0.02
    [InlineData(2.00, 0.35)]     // exact
    [InlineData(0.20, 0.04)]     // 0.035 → 0.04
    [InlineData(0.60, 0.11)]     // 0.105 → 0.11 (banker's rounding would give 0.10)
    [InlineData(0.30, 0.05)]     // 0.0525 → 0.05
    public void VAT_at_17_5_percent_rounds_half_away_from_zero(decimal net, decimal expectedVat)
    {
        var line = Pricing.PriceLine(new LineInput("x", 1m, net, 17.5m), "GBP");
        Assert.Equal(expectedVat, line.Vat);
        Assert.Equal(net + expectedVat, line.Gross);
    }

    [Fact]
    public void Totals_are_the_sums_of_the_rounded_lines_not_a_rounding_of_the_sum()
    {
        // Each line is 0.005 net → 0.01; the unrounded sum would be 0.015 → 0.02.
        var document = Pricing.Price(
            [new("a", 1m, 0.005m, 0m), new("b", 1m, 0.005m, 0m), new("c", 1m, 0.005m, 0m)], "gbp");

        Assert.Equal(0.03m, document.Totals.Subtotal);
        Assert.Equal(0.03m, document.Totals.Total);
        Assert.Equal("GBP", document.Totals.Currency);
    }

    [Fact]
    public void A_whole_document_prices_every_line_and_adds_up()
    {
        var document = Pricing.Price(Sample.Lines(), "GBP");

        Assert.Equal(2, document.Lines.Count);
        Assert.Equal(1600.01m, document.Totals.Subtotal);
        Assert.Equal(320.00m, document.Totals.Vat);
        Assert.Equal(1920.01m, document.Totals.Total);
        Assert.Equal(document.Totals.Subtotal + document.Totals.Vat, document.Totals.Total);
    }

    [Theory]
    [InlineData("", 1, 1, 20)]
    [InlineData("   ", 1, 1, 20)]
    [InlineData("x", 0, 1, 20)]
    [InlineData("x", -1, 1, 20)]
    [InlineData("x", 1, -0.01, 20)]
    [InlineData("x", 1, 1, -1)]
    [InlineData("x", 1, 1, 100.01)]
    public void Invalid_lines_are_refused(string description, decimal quantity, decimal unitPrice, decimal vatRate)
    {
        Refuse.With("validation.lines", RuleKind.Invalid,
            () => Pricing.Price([new LineInput(description, quantity, unitPrice, vatRate)], "GBP"));
    }

    [Fact]
    public void A_document_without_lines_is_refused()
    {
        Refuse.With("validation.lines", RuleKind.Invalid, () => Pricing.Price([], "GBP"));
    }

    [Fact]
    public void A_free_line_and_the_VAT_bounds_are_allowed()
    {
        var document = Pricing.Price([new("Free survey", 1m, 0m, 0m), new("Luxury", 1m, 10m, 100m)], "GBP");
        Assert.Equal(20m, document.Totals.Total);
    }

    [Theory]
    [InlineData("GB")]
    [InlineData("POUND")]
    [InlineData("G1P")]
    [InlineData("")]
    public void An_unknown_currency_code_is_refused(string currency)
    {
        Refuse.With("validation.currency", RuleKind.Invalid, () => Pricing.Price(Sample.Lines(), currency));
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("IQD")]
    public void A_currency_stripe_cannot_take_is_refused(string currency)
    {
        Refuse.With("validation.currency", RuleKind.Invalid, () => Pricing.Price(Sample.Lines(), currency));
    }

    [Trait("Category", "Security")]
    [Theory]
    [InlineData("KWD", "10.2875", "10.288", "2.058", "12.346", "KWD 12.346")]
    [InlineData("BHD", "0.0005", "0.001", "0.000", "0.001", "BHD 0.001")]
    [InlineData("JPY", "1000.4", "1000", "200", "1200", "JPY 1,200")]
    [InlineData("KRW", "999.5", "1000", "200", "1200", "KRW 1,200")]
    [InlineData("GBP", "10.2875", "10.29", "2.06", "12.35", "£12.35")]
    public void Lines_are_rounded_to_the_currencys_own_decimals(string currency, string unitPrice, string net, string vat, string total, string shown)
    {
        static decimal D(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        var document = Pricing.Price([new("Work", 1m, D(unitPrice), 20m)], currency);
        Assert.Equal((D(net), D(vat), D(total)), (document.Lines[0].Net, document.Lines[0].Vat, document.Totals.Total));
        Assert.Equal(shown, new Money(document.Totals.Total, currency).Format());
    }

    [Trait("Category", "Security")]
    [Fact]
    public void Magnitudes_are_capped_so_no_product_or_sum_overflows()
    {
        Refuse.With("validation.lines", RuleKind.Invalid, () => Pricing.Price([new("Huge", Pricing.MaxQuantity + 1, 1m, 0m)], "GBP"));
        Refuse.With("validation.lines", RuleKind.Invalid, () => Pricing.Price([new("Huge", 1m, Pricing.MaxUnitPrice + 1, 0m)], "GBP"));
        Refuse.With("validation.lines", RuleKind.Invalid, () => Pricing.Price([new("Huge", 1m, decimal.MaxValue, 0m)], "GBP"));
        var lines = Enumerable.Repeat(new LineInput("Most", Pricing.MaxQuantity, Pricing.MaxUnitPrice, 100m), Pricing.MaxLines).ToList();
        Assert.Equal(2m * Pricing.MaxQuantity * Pricing.MaxUnitPrice * Pricing.MaxLines, Pricing.Price(lines, "GBP").Totals.Total);
        Refuse.With("validation.lines", RuleKind.Invalid, () => Pricing.Price([.. lines, lines[0]], "GBP"));
    }
}
