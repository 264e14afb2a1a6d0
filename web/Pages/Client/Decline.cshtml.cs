using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.ClientPortal;

namespace Portal.Web.Pages.Client;

/// <summary>
/// Declining from the page's form (antiforgery-checked); answers with a redirect back to the proposal. The reason's
/// length is the proposal's rule: a refusal comes back as its code like any other.
/// </summary>
[Authorize(Policy = ClientSession.Policy)]
public sealed class DeclineModel(PortalContext portal, IGrainFactory grains) : PageModel
{
    public async Task<IActionResult> OnPostAsync(Guid id, [FromForm] int? documentVersion, [FromForm] string? reason)
    {
        var proposal = await portal.FindProposalAsync(id);
        if (proposal is null)
        {
            return NotFound();
        }
        if (documentVersion is null)
        {
            return BadRequest();
        }
        try
        {
            await grains.GetGrain<IProposalGrain>(id).Decline(new DeclineProposal(documentVersion.Value, portal.Actor, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()));
        }
        catch (PortalRuleViolation rule) when (rule.Kind is RuleKind.Conflict or RuleKind.Invalid)
        {
            return LocalRedirect($"/portal/proposals/{id}?problem={Uri.EscapeDataString(rule.Code)}");
        }
        return LocalRedirect($"/portal/proposals/{id}?done=declined");
    }

    public IActionResult OnGet(Guid id) => LocalRedirect($"/portal/proposals/{id}");
}
