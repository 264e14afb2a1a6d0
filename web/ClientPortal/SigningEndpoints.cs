using Portal.Domain;
using Portal.Web.Api;

namespace Portal.Web.ClientPortal;

/// <summary>
/// Accepting a proposal from its page, and the drawn signature image the signed page shows. The page's script
/// posts with <c>Accept: application/json</c> and gets problem details (400 bad input, 404 not this client's,
/// 409 refused with its code); a plain form post (no script) is redirected back to the page with the outcome.
/// </summary>
public static class SigningEndpoints
{
    private const string PngDataUrlPrefix = "data:image/png;base64,";

    // Base64 of the largest PNG the domain accepts, plus padding slack; anything longer is refused unread.
    private static readonly int MaxBase64Length = (SignaturePng.MaxBytes + 2) / 3 * 4 + 4;

    public static RouteGroupBuilder MapSigningEndpoints(this RouteGroupBuilder portal)
    {
        portal.MapPost("/proposals/{id:guid}/accept", AcceptAsync).RefusedLikeThePortal(ProposalPage);
        portal.MapGet("/proposals/{id:guid}/signature.png", SignatureImageAsync);
        return portal;
    }

    /// <summary>Without script the page shows the refusal's sentence; bad input opens the signing form again.</summary>
    private static string ProposalPage(HttpContext http, PortalRuleViolation rule) =>
        $"/portal/proposals/{http.GetRouteValue("id")}?problem={Uri.EscapeDataString(rule.Code)}{(rule.Kind == RuleKind.Invalid ? "&sign=1" : "")}";

    // The form is bound by the framework, so the antiforgery middleware's verdict is checked before anything is read.
    private static async Task<IResult> AcceptAsync(Guid id, IFormCollection form, HttpContext http, PortalContext portal, IGrainFactory grains)
    {
        // The consent is to the terms version the page showed (the grain refuses it unless it is the version the
        // proposal was sent with). The session names the company and the client and the form names that version, so
        // the three reads go out together rather than in turn.
        var termsVersion = ReadTermsVersion(form);
        var proposalLoad = portal.FindProposalAsync(id);
        var termsLoad = portal.GetTermsAsync(termsVersion ?? 0);
        var clientLoad = portal.GetClientAsync();
        await Task.WhenAll(proposalLoad, termsLoad, clientLoad);
        var proposal = await proposalLoad
            ?? throw PortalRuleViolation.NotFound(RuleCodes.ProposalNotFound, "There is no such quote in your portal.");

        SignatureInput signature;
        int documentVersion;
        try
        {
            documentVersion = int.TryParse(form["documentVersion"], NumberStyles, System.Globalization.CultureInfo.InvariantCulture, out var version)
                ? version
                : throw PortalRuleViolation.Invalid(RuleCodes.ValidationDocumentVersion, "The document version is missing.");
            if (!IsTicked(form["consent"]))
            {
                throw PortalRuleViolation.Invalid(RuleCodes.ValidationConsent, "The terms of business were not agreed to.");
            }
            var (consentVersion, consentText) = SigningMessages.Consent(await termsLoad);
            signature = ReadSignature(form) with
            {
                IpAddress = ClientAddress(http),
                UserAgent = http.Request.Headers.UserAgent.ToString(),
                LinkId = http.User.LinkId(),
                ConsentVersion = consentVersion,
                ConsentText = consentText,
            };
        }
        catch (PortalRuleViolation invalid)
        {
            throw InClientWords(invalid, proposal, proposal.Status);
        }

        // The signer is the link's client as the company has them on file now, not as the session cookie remembers.
        var client = await clientLoad;
        var signer = new Actor(ActorKind.Client, client.Id, client.Name, client.Email);
        ProposalView accepted;
        try
        {
            accepted = await grains.GetGrain<IProposalGrain>(id).Accept(new AcceptProposal(documentVersion, signer, signature, termsVersion));
        }
        catch (PortalRuleViolation rule) when (rule.Kind is RuleKind.Conflict or RuleKind.Invalid)
        {
            var now = rule.Kind == RuleKind.Conflict ? (await portal.FindProposalAsync(id))?.Status ?? proposal.Status : proposal.Status;
            throw InClientWords(rule, proposal, now);
        }

        if (!PortalProblems.WantsProblem(http.Request))
        {
            return new PortalRefusals.SeeOther($"/portal/proposals/{id}?done=accepted");
        }
        var evidence = accepted.Acceptance!;
        return Results.Json(new AcceptedResponse(
            "accepted", SigningMessages.Thanks, evidence.SignedAtUtc, evidence.DocumentVersion, evidence.DocumentSha256,
            $"/portal/proposals/{id}"));
    }

    /// <summary>The same refusal, with the sentence the client reads for it (the proposal's status is as it is now).</summary>
    private static PortalRuleViolation InClientWords(PortalRuleViolation rule, ProposalView proposal, ProposalStatus now) =>
        new(rule.Code, SigningMessages.Refusal(rule.Code, proposal.Kind, now, rule.Message), rule.Kind);

    private static async Task<IResult> SignatureImageAsync(Guid id, HttpContext http, PortalContext portal)
    {
        var proposal = await portal.FindProposalAsync(id);
        if (proposal?.Acceptance?.DrawnPng is not { } png)
        {
            return Results.NotFound();
        }
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers.ContentDisposition = "inline; filename=\"signature.png\"";
        return Results.Bytes(png, "image/png");
    }

    /// <summary>The terms version the page showed (0: the proposal has none); null when the form did not say, which the grain refuses.</summary>
    private static int? ReadTermsVersion(IFormCollection form) =>
        int.TryParse(form["termsVersion"], NumberStyles, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : null;

    private static SignatureInput ReadSignature(IFormCollection form)
    {
        var method = form["method"].ToString().Trim().ToLowerInvariant();
        var drawn = form["signature"].ToString().Trim();
        if (method == "drawn" || (method.Length == 0 && drawn.Length > 0))
        {
            return Blank(SignatureMethod.Drawn) with { DrawnPng = DecodePng(drawn) };
        }
        if (method is "typed" or "")
        {
            var typed = form["typedName"].ToString();
            if (typed.Length > 200)
            {
                throw PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, "A typed signature can be at most 200 characters.");
            }
            return Blank(SignatureMethod.Typed) with { TypedName = typed };
        }
        throw PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, "Draw your signature or type your name to sign.");
    }

    private static SignatureInput Blank(SignatureMethod method) => new(method, null, null, null, null, null, 0, "");

    /// <summary>Only a base64 PNG data URL is read; SVG or any other type is refused before decoding.</summary>
    private static byte[] DecodePng(string dataUrl)
    {
        if (dataUrl.Length == 0)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, "Draw your signature in the box to sign.");
        }
        if (!dataUrl.StartsWith(PngDataUrlPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, "The drawn signature must be a PNG image.");
        }
        var base64 = dataUrl.AsSpan(PngDataUrlPrefix.Length);
        if (base64.Length > MaxBase64Length)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, "The drawn signature is larger than 200 KB.");
        }
        var bytes = new byte[base64.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(base64, bytes, out var written))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationSignature, "The drawn signature could not be read.");
        }
        return bytes[..written];
    }

    private static bool IsTicked(string? value) =>
        value is not null && (value.Equals("on", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase)
            || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    /// <summary>The connection's address (after the forwarded-headers middleware, when trusted proxies are configured).</summary>
    private static string? ClientAddress(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return null;
        }
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    private const System.Globalization.NumberStyles NumberStyles = System.Globalization.NumberStyles.Integer;

    public sealed record AcceptedResponse(string Status, string Message, DateTimeOffset SignedAtUtc, int DocumentVersion, string DocumentSha256, string Location);
}
