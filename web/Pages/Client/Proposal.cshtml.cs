using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.ClientPortal;

namespace Portal.Web.Pages.Client;

[Authorize(Policy = ClientSession.Policy)]
public sealed class ProposalModel(PortalContext portal) : PageModel
{
    public ProposalView Proposal { get; private set; } = null!;
    public DocumentSheet Sheet { get; private set; } = null!;
    public int ProjectNumber { get; private set; }
    public long ProjectVersion { get; private set; }
    public string? Notice { get; private set; }
    public bool NoticeIsError { get; private set; }

    /// <summary>Without script, "Sign to accept" reloads the page with <c>?sign=1</c> and the signing form shows in place.</summary>
    public bool OpenSignForm { get; private set; }

    /// <summary>Why the last plain-form signing attempt was refused, shown inside the form.</summary>
    public string? SignError { get; private set; }

    public string ClientName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, string? problem, string? done, string? sign)
    {
        var proposal = await portal.FindProposalAsync(id);
        if (proposal is null)
        {
            return NotFound();
        }
        // The first open by the client marks it Viewed; the grain ignores later ones.
        if (proposal.Status == ProposalStatus.Sent)
        {
            proposal = await portal.MarkProposalViewedAsync(id);
        }
        var kind = SigningMessages.KindName(proposal.Kind);
        var open = proposal.Status is ProposalStatus.Sent or ProposalStatus.Viewed;
        OpenSignForm = open && sign == "1";
        string? notice = null;
        if (problem is not null && OpenSignForm && problem.StartsWith("validation.", StringComparison.Ordinal))
        {
            SignError = SigningMessages.Refusal(problem, proposal.Kind, proposal.Status);
        }
        else if (problem is not null)
        {
            notice = SigningMessages.Refusal(problem, proposal.Kind, proposal.Status);
        }
        else if (done == "accepted" && proposal.Status == ProposalStatus.Accepted)
        {
            notice = SigningMessages.Thanks;
        }
        else if (done == "declined" && proposal.Status == ProposalStatus.Declined)
        {
            notice = $"You declined this {kind}. Thank you for letting us know.";
        }
        return await ShowAsync(proposal, notice, problem is not null && SignError is null);
    }

    internal async Task<IActionResult> ShowAsync(ProposalView proposal, string? notice = null, bool isError = false)
    {
        Proposal = proposal;
        Notice = notice;
        NoticeIsError = isError;
        var company = (await portal.GetCompanyAsync())!;
        var client = await portal.GetClientAsync();
        ClientName = client.Name;
        var project = await portal.FindProjectAsync(proposal.ProjectId);
        ProjectNumber = project?.Number ?? 0;
        ProjectVersion = project?.Version ?? 0;
        var kind = proposal.Kind == DocumentKind.Estimate ? "Estimate" : "Quote";
        var dates = new List<(string, string)>();
        if (proposal.SentAt is { } sent)
        {
            dates.Add(("Date", Formats.Date(sent, proposal.TimeZone)));
        }
        dates.Add(("Valid until", Formats.Date(proposal.ValidUntil)));
        Sheet = new DocumentSheet($"{kind} {proposal.Number}", proposal.Number, company, client, project?.SiteAddress,
            dates, proposal.Lines, proposal.Totals, proposal.Notes, Badges.For(proposal.Status));
        return Page();
    }
}
