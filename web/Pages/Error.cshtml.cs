using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.ClientPortal;

namespace Portal.Web.Pages;

/// <summary>Friendly pages for people; the API answers problem details instead.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(PortalContext portal) : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Message { get; private set; } = "Please try again in a moment.";
    public bool ShowHome { get; private set; }

    public void OnGet(int code) => Describe(code);

    /// <summary>
    /// A refused form post is re-executed here as a POST. Its antiforgery verdict has been answered already (this page
    /// is the answer) and this page reads no form, so the verdict is dropped before binding would trip over it.
    /// </summary>
    public override void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
        HttpContext.Features.Set<IAntiforgeryValidationFeature>(null);
        base.OnPageHandlerSelected(context);
    }

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        ShowHome = portal.HasSession;
        var original = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath ?? "";
        if (code == 403 && original.StartsWith("/staff", StringComparison.Ordinal))
        {
            // A signed-in person whose role may not open a console page (the permission table).
            (Title, Message) = ("You cannot open this page", "Your role does not allow it. Ask your company's owner or an admin.");
            return;
        }
        (Title, Message) = code switch
        {
            401 => ("Please open your portal link", "This page needs the link from your email. If it no longer works, ask the company that sent it for a new link."),
            403 => ("You cannot open this page", "This page is not available with your portal link."),
            404 => ("We could not find that page", "It may have been removed, or the address is not quite right."),
            410 => ("This is no longer available", "Ask the company that sent it for a new link."),
            429 => ("Too many attempts", "Please wait a few minutes and try again."),
            >= 500 => ("Something went wrong on our side", "Please try again in a moment. If it keeps happening, contact the company."),
            _ => ("That did not work", "Please go back and try again."),
        };
    }
}
