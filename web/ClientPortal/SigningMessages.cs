namespace Portal.Web.ClientPortal;

/// <summary>What the client reads when accepting or declining does not go through, by refusal code.</summary>
public static class SigningMessages
{
    public const string Thanks = "Thank you for accepting!";

    public const string ConsentLabel = "I agree to the terms of business";

    public static string KindName(DocumentKind kind) => kind == DocumentKind.Estimate ? "estimate" : "quote";

    /// <summary>The sentence for a refused accept or decline; <paramref name="status"/> is the proposal's status now.</summary>
    public static string Refusal(string code, DocumentKind kind, ProposalStatus status, string? detail = null)
    {
        var name = KindName(kind);
        return code switch
        {
            RuleCodes.ProposalStaleVersion => $"This {name} has changed — review it again.",
            RuleCodes.ProposalTermsChanged => "The terms have changed since you opened this page. Please review them again before signing.",
            RuleCodes.ProposalExpired => $"This {name} has expired, so it can no longer be accepted or declined. Ask us for an updated one.",
            RuleCodes.ProposalNotOpen => status switch
            {
                ProposalStatus.Accepted => $"This {name} has already been accepted.",
                ProposalStatus.Declined => $"This {name} was declined, so it can no longer be accepted.",
                ProposalStatus.Withdrawn => $"This {name} has been withdrawn, so it can no longer be accepted or declined. Ask us for an updated one.",
                ProposalStatus.Expired => $"This {name} has expired, so it can no longer be accepted or declined. Ask us for an updated one.",
                _ => $"This {name} can no longer be accepted or declined.",
            },
            RuleCodes.ValidationConsent => $"Tick “{ConsentLabel}” to sign.",
            RuleCodes.ValidationSignature => detail ?? "Draw your signature or type your name to sign.",
            RuleCodes.ValidationReason => $"The reason can be at most {DeclineProposal.MaxReasonLength} characters.",
            RuleCodes.ValidationDocumentVersion => $"Reload the page and review the {name} again.",
            RuleCodes.RequestAntiforgery => "This page has been open for a long time. Reload it and try again.",
            _ => detail ?? $"This {name} can no longer be changed.",
        };
    }

    /// <summary>
    /// The consent the client gives by ticking the box: the label and the full terms of business it links to (the
    /// version the proposal was sent with, not the company's current one), so its SHA-256 in the evidence pins the
    /// exact terms shown. Without terms the consent is the label alone, version 0.
    /// </summary>
    public static (int Version, string Text) Consent(TermsOfBusiness? terms)
    {
        if (terms is null)
        {
            return (0, ConsentLabel + ".");
        }
        var text = $"{ConsentLabel} (version {terms.Version}).\n\n{terms.Text}";
        if (!string.IsNullOrEmpty(terms.Url))
        {
            text += $"\n\n{terms.Url}";
        }
        return (terms.Version, text);
    }

    /// <summary>Where the client reads the terms a proposal was sent with (the current ones when it pins none).</summary>
    public static string TermsPath(int? termsVersion) =>
        termsVersion is { } version ? $"/portal/terms?version={version.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "/portal/terms";
}
