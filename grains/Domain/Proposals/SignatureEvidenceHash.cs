using System.Globalization;
using System.Text.Json;

namespace Portal.Domain;

/// <summary>
/// The SHA-256 of an acceptance's evidence, written into the project's hash-chained activity log when the
/// proposal is accepted. Anyone holding the evidence (GET /api/proposals/{id}) can recompute it and find it in
/// the verified chain, so evidence changed after signing no longer matches. The drawn image enters as its own
/// SHA-256; everything else as given, in a fixed order with invariant formats.
/// </summary>
public static class SignatureEvidenceHash
{
    public static string Compute(SignatureEvidence evidence) => Hashing.Sha256Hex(CanonicalJson(evidence));

    public static byte[] CanonicalJson(SignatureEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("method", e.Method.ToString().ToLowerInvariant());
            json.WriteString("typedName", e.TypedName);
            json.WriteString("drawnPngSha256", e.DrawnPng is null ? null : Hashing.Sha256Hex(e.DrawnPng));
            json.WriteString("signerName", e.SignerName);
            json.WriteString("signerEmail", e.SignerEmail);
            json.WriteString("signedAtUtc", e.SignedAtUtc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("ipAddress", e.IpAddress);
            json.WriteString("userAgent", e.UserAgent);
            json.WriteString("linkId", e.LinkId?.ToString("D"));
            json.WriteNumber("consentVersion", e.ConsentVersion);
            json.WriteString("consentSha256", e.ConsentSha256);
            json.WriteNumber("documentVersion", e.DocumentVersion);
            json.WriteString("documentSha256", e.DocumentSha256);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
