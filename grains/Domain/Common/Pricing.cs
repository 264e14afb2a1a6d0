namespace Portal.Domain;

/// <summary>The priced lines of a document and their totals.</summary>
public sealed record PricedDocument(List<PricedLine> Lines, DocumentTotals Totals);

/// <summary>
/// The one place lines become money. Each line is rounded once (net, then VAT on the rounded net) and the
/// totals are sums of those rounded values, so the printed lines always add up to the printed totals.
/// </summary>
public static class Pricing
{
    public static PricedDocument Price(IReadOnlyList<LineInput>? lines, string currency)
    {
        var code = Validate.Currency(currency);
        if (lines is null || lines.Count == 0)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, "Add at least one line.");
        }

        var priced = new List<PricedLine>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            priced.Add(PriceLine(lines[i], i + 1));
        }

        var subtotal = priced.Sum(l => l.Net);
        var vat = priced.Sum(l => l.Vat);
        return new PricedDocument(priced, new DocumentTotals(subtotal, vat, subtotal + vat, code));
    }

    public static PricedLine PriceLine(LineInput line, int position = 1)
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
        if (line.Quantity <= 0m)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, $"Line {position}: the quantity must be more than zero.");
        }
        if (line.UnitPrice < 0m)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, $"Line {position}: the unit price cannot be negative.");
        }
        if (line.VatRate is < 0m or > 100m)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationLines, $"Line {position}: the VAT rate must be between 0 and 100%.");
        }

        var net = Money.Round(line.Quantity * line.UnitPrice);
        var vat = Money.Round(net * line.VatRate / 100m);
        return new PricedLine(description, line.Quantity, line.UnitPrice, line.VatRate, net, vat, net + vat);
    }
}
