using System.Globalization;
using System.Text.Json;

namespace Portal.Domain;

/// <summary>
/// The SHA-256 a signature binds to. The canonical form is a JSON document written field by field in a fixed
/// order with invariant formatting, so the same content always hashes the same, whatever serializer or
/// culture produced the state, and any change of content changes the hash.
/// </summary>
public static class ProposalContentHash
{
    public static string Compute(ProposalState proposal) => Hashing.Sha256Hex(CanonicalJson(proposal));

    public static byte[] CanonicalJson(ProposalState p)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("number", p.Number);
            json.WriteString("kind", p.Kind.ToString().ToLowerInvariant());
            json.WriteNumber("documentVersion", p.DocumentVersion);
            json.WriteStartArray("lines");
            foreach (var line in p.Lines)
            {
                json.WriteStartObject();
                json.WriteString("description", line.Description);
                json.WriteString("quantity", Plain(line.Quantity));
                json.WriteString("unitPrice", Plain(line.UnitPrice));
                json.WriteString("vatRate", Plain(line.VatRate));
                json.WriteString("net", Amount(line.Net));
                json.WriteString("vat", Amount(line.Vat));
                json.WriteString("gross", Amount(line.Gross));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("totals");
            json.WriteString("subtotal", Amount(p.Totals?.Subtotal ?? 0m));
            json.WriteString("vat", Amount(p.Totals?.Vat ?? 0m));
            json.WriteString("total", Amount(p.Totals?.Total ?? 0m));
            json.WriteEndObject();
            json.WriteString("currency", p.Currency);
            json.WriteString("validUntil", p.ValidUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (p.Notes is null)
            {
                json.WriteNull("notes");
            }
            else
            {
                json.WriteString("notes", p.Notes);
            }
            if (p.TermsVersion is { } terms)
            {
                json.WriteNumber("termsVersion", terms);
            }
            else
            {
                json.WriteNull("termsVersion");
            }
            json.WriteString("companyId", p.CompanyId.ToString("D"));
            json.WriteString("clientId", p.ClientId.ToString("D"));
            json.WriteString("projectId", p.ProjectId.ToString("D"));
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    // Decimals carry a scale (1.5 vs 1.50); the canonical form must not depend on it.
    private static string Plain(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
