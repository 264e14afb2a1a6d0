using System.Text;

namespace Portal.Domain;

/// <summary>Turns what the client gave when signing into the evidence kept with the acceptance.</summary>
public static class SignatureEvidenceBuilder
{
    public const int MaxDrawnPngBytes = SignaturePng.MaxBytes;

    /// <summary>Longer user agents are cut: the evidence keeps what identifies the browser, not unbounded input.</summary>
    public const int MaxUserAgentLength = 512;

    public static SignatureEvidence Build(AcceptProposal command, DateTimeOffset signedAt, int documentVersion, string documentSha256)
    {
        var input = command.Signature ?? throw PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, "Sign to accept.");
        var signer = command.Signer ?? throw PortalRuleViolation.Invalid(RuleCodes.ValidationSigner, "The signer is missing.");
        var signerName = SanitiseText(signer.Name)?.Trim();
        if (string.IsNullOrEmpty(signerName))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationSigner, "The signer's name is missing.");
        }
        if (string.IsNullOrWhiteSpace(input.ConsentText))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationConsent, "The consent text is missing.");
        }

        string? typedName = null;
        byte[]? drawnPng = null;
        switch (input.Method)
        {
            case SignatureMethod.Typed:
                typedName = SanitiseText(input.TypedName)?.Trim();
                if (string.IsNullOrEmpty(typedName))
                {
                    throw PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, "Type your name to sign.");
                }
                if (typedName.Length > 200)
                {
                    throw PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, "A typed signature can be at most 200 characters.");
                }
                break;
            case SignatureMethod.Drawn:
                EnsurePng(input.DrawnPng);
                drawnPng = [.. input.DrawnPng!];
                break;
            default:
                throw PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, "Draw or type your signature.");
        }

        return new SignatureEvidence(
            input.Method, typedName, drawnPng, signerName, Validate.Optional(signer.Email), signedAt.ToUniversalTime(),
            Shorten(Validate.Optional(input.IpAddress), 64), Shorten(Validate.Optional(SanitiseText(input.UserAgent)), MaxUserAgentLength), input.LinkId,
            input.ConsentVersion, Hashing.Sha256Hex(input.ConsentText), documentVersion, documentSha256);
    }

    private static string? Shorten(string? text, int max) => text is not null && text.Length > max ? text[..max] : text;

    /// <summary>
    /// Removes control characters and the bidirectional overrides/isolates/marks that can make a typed name
    /// display differently from what is stored.
    /// </summary>
    public static string? SanitiseText(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsControl(c) && !IsBidiControl(c))
            {
                clean.Append(c);
            }
        }
        return clean.ToString();
    }

    /// <summary>Refuses anything but a well-formed PNG of at most 200 KB with sane dimensions (see <see cref="SignaturePng"/>).</summary>
    public static void EnsurePng(byte[]? png) => SignaturePng.Inspect(png);

    private static bool IsBidiControl(char c) =>
        c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F';
}
