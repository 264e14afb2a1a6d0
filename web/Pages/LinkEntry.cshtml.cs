using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Auth;
using Portal.Web.ClientPortal;
using Portal.Web.Links;

namespace Portal.Web.Pages;

/// <summary>
/// The emailed link: a valid token starts a client session and redirects (303) to its target with no token left
/// in the URL; anything else gets a friendly page. Failures per address are limited.
/// </summary>
[IgnoreAntiforgeryToken]
[EnableRateLimiting(RateLimits.LinkEntryPolicy)]
public sealed class LinkEntryModel(IGrainFactory grains, FailureLimiter limiter, ILogger<LinkEntryModel> logger) : PageModel
{
    public string Title { get; private set; } = "This link does not work";
    public string Message { get; private set; } = "We could not find this portal link.";

    public async Task<IActionResult> OnGetAsync(string token)
    {
        var address = FailureLimiter.NetworkOf(HttpContext.Connection.RemoteIpAddress);
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            limiter.RecordFailure(address);
            return limiter.IsBlocked(address) ? TooManyAttempts() : Fail(StatusCodes.Status404NotFound);
        }

        var hash = PortalLinkIssuer.HashToken(token);
        PortalLinkView link;
        try
        {
            link = await grains.GetGrain<IPortalLinkGrain>(hash).Resolve();
        }
        catch (PortalRuleViolation rule)
        {
            // Only a failure counts, and only a failure is refused: a valid link always gets in.
            limiter.RecordFailure(address);
            if (limiter.IsBlocked(address))
            {
                return TooManyAttempts();
            }
            // Log the link's hash prefix, never the token.
            logger.LogInformation("Portal link refused ({Code}) for link hash {HashPrefix}…", rule.Code, hash[..12]);
            if (rule.Kind == RuleKind.Gone)
            {
                Title = rule.Code == RuleCodes.LinkRevoked ? "This link has been withdrawn" : "This link has expired";
                Message = rule.Code == RuleCodes.LinkRevoked
                    ? "The company has withdrawn this portal link."
                    : "Portal links stop working after a while to keep your documents safe.";
                return Fail(StatusCodes.Status410Gone);
            }
            return Fail(StatusCodes.Status404NotFound);
        }

        var client = await grains.GetGrain<IClientGrain>(link.ClientId).Get();
        await HttpContext.SignInAsync(ClientSession.Scheme, ClientSession.CreatePrincipal(link, hash, client));
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Location = TargetPath(link.Target);
        return StatusCode(StatusCodes.Status303SeeOther);
    }

    private PageResult TooManyAttempts()
    {
        Title = "Too many attempts";
        Message = "There were too many attempts with links that do not work from your network. Please wait a few minutes.";
        Response.Headers.RetryAfter = ((int)FailureLimiter.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Fail(StatusCodes.Status429TooManyRequests);
    }

    private PageResult Fail(int status)
    {
        Response.StatusCode = status;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    private static string TargetPath(LinkTarget target) => target.Kind switch
    {
        LinkTargetKind.Project when target.Id is { } id => $"/portal/projects/{id}",
        LinkTargetKind.Proposal when target.Id is { } id => $"/portal/proposals/{id}",
        LinkTargetKind.Invoice when target.Id is { } id => $"/portal/invoices/{id}",
        _ => "/portal/projects",
    };
}
