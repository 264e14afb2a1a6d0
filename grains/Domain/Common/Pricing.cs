using System.Globalization;

namespace Portal.Domain;

/// <summary>The priced lines of a document and their totals.</summary>
public sealed record PricedDocument(List<PricedLine> Lines, DocumentTotals Totals);

/// <summary>
/// The one place lines become money. Each line is rounded once to the currency's decimals (net, then VAT on the
/// rounded net) and the totals are sums of those rounded values, so the printed lines always add up to the printed
/// totals. Quantities and prices are capped far above any real job, so no product or sum can overflow.
/// </summary>
public static class Pricing
{
    /// <summary>The largest quantity on one line.</summary>
    public const decimal MaxQuantity = 1_000_000m;

    /// <summary>The largest unit price on one line, in major units.</summary>
    public const decimal MaxUnitPrice = 1_000_000_000m;

    /// <summary>The most lines one document holds.</summary>
    public const int MaxLines = 1_000;

    public static PricedDocument Price(IReadOnlyList<LineInput>? lines, string currency)
    {
        var code = Validate.Currency(currency);
        if (lines is null || lines.Count == 0)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, "Add at least one line.");
        }
        if (lines.Count > MaxLines)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, string.Create(CultureInfo.InvariantCulture, $"A document holds at most {MaxLines:N0} lines."));
        }

        var priced = new List<PricedLine>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            priced.Add(PriceLine(lines[i], code, i + 1));
        }

        var subtotal = priced.Sum(l => l.Net);
        var vat = priced.Sum(l => l.Vat);
        return new PricedDocument(priced, new DocumentTotals(subtotal, vat, subtotal + vat, code));
    }

    public static PricedLine PriceLine(LineInput line, string currency, int position = 1)
    {
        if (line is null)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, $"Line {position} is missing.");
        }
        var description = line.Description?.Trim() ?? "";
        if (description.Length == 0)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, $"Line {position} needs a description.");
        }
        if (line.Quantity is <= 0m or > MaxQuantity)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, string.Create(CultureInfo.InvariantCulture, $"Line {position}: the quantity must be more than zero and at most {MaxQuantity:N0}."));
        }
        if (line.UnitPrice is < 0m or > MaxUnitPrice)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, string.Create(CultureInfo.InvariantCulture, $"Line {position}: the unit price must be between 0 and {MaxUnitPrice:N0}."));
        }
        if (line.VatRate is < 0m or > 100m)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, $"Line {position}: the VAT rate must be between 0 and 100%.");
        }

        var net = Currencies.Round(line.Quantity * line.UnitPrice, currency);
        var vat = Currencies.Round(net * line.VatRate / 100m, currency);
        return new PricedLine(description, line.Quantity, line.UnitPrice, line.VatRate, net, vat, net + vat);
    }
}
