using Portal.Domain;
using Portal.Web.Links;

namespace Portal.Web.Mail;

/// <summary>A document or files sent to the client: the new status, the link in the email, and the stored message.</summary>
public sealed record MailedDocument(string Status, IssuedLink Link, MailMessageView Message);

/// <summary>
/// Staff sends: the email's headers are checked first (a refused name or subject changes nothing), then the
/// document is marked sent, a fresh portal link aimed at it is issued, and the message is stored in the outbox.
/// The request is answered only after that; delivery happens on the silo afterwards.
/// </summary>
public sealed class DocumentMailer(IGrainFactory grains, PortalLinkIssuer links, PublicUrls urls)
{
    public async Task<MailedDocument> SendProposalAsync(ProposalView proposal)
    {
        var (company, client, project) = await LoadAsync(proposal.CompanyId, proposal.ClientId, proposal.ProjectId);
        var draft = ClientEmails.DocumentSent(company, client, project,
            new SentDocument(proposal.Kind, proposal.Id, proposal.Number, proposal.Totals.Total, proposal.Totals.Currency, proposal.ValidUntil), urls.BaseUrl);
        var sent = await grains.GetGrain<IProposalGrain>(proposal.Id).Send();
        var link = await links.IssueAsync(company.Id, client.Id, new LinkTarget(LinkTargetKind.Proposal, proposal.Id));
        var message = await EnqueueAsync(draft.WithLink(link.Url));
        return new MailedDocument(Wire(sent.Status), link, message);
    }

    public async Task<MailedDocument> SendInvoiceAsync(InvoiceView invoice)
    {
        var (company, client, project) = await LoadAsync(invoice.CompanyId, invoice.ClientId, invoice.ProjectId);
        var draft = ClientEmails.DocumentSent(company, client, project,
            new SentDocument(DocumentKind.Invoice, invoice.Id, invoice.Number, invoice.Totals.Total, invoice.Totals.Currency, invoice.DueDate), urls.BaseUrl);
        var sent = await grains.GetGrain<IInvoiceGrain>(invoice.Id).Send();
        var link = await links.IssueAsync(company.Id, client.Id, new LinkTarget(LinkTargetKind.Invoice, invoice.Id));
        var message = await EnqueueAsync(draft.WithLink(link.Url));
        return new MailedDocument(Wire(sent.Status), link, message);
    }

    /// <summary>Checks the files email can be written before anything is shared; <see cref="SendFilesAsync"/> finishes it.</summary>
    public async Task<EmailDraft> PrepareFilesAsync(ProjectView project, IReadOnlyList<string> fileNames)
    {
        var (company, client, _) = await LoadAsync(project.CompanyId, project.ClientId, null);
        return ClientEmails.FilesShared(company, client, project, fileNames, urls.BaseUrl);
    }

    /// <summary>Issues a link to the project page ("Shared files" is there) and stores the message.</summary>
    public async Task<MailedDocument> SendFilesAsync(ProjectView project, EmailDraft draft)
    {
        var link = await links.IssueAsync(project.CompanyId, project.ClientId, new LinkTarget(LinkTargetKind.Project, project.Id));
        var message = await EnqueueAsync(draft.WithLink(link.Url));
        return new MailedDocument(Wire(project.Status), link, message);
    }

    private async Task<MailMessageView> EnqueueAsync(OutgoingMail mail) =>
        await grains.GetGrain<IMailMessageGrain>(Guid.NewGuid()).Enqueue(mail);

    private async Task<(CompanyView Company, ClientView Client, ProjectView Project)> LoadAsync(Guid companyId, Guid clientId, Guid? projectId)
    {
        var company = grains.GetGrain<ICompanyGrain>(companyId).Get();
        var client = grains.GetGrain<IClientGrain>(clientId).Get();
        var project = projectId is { } id ? grains.GetGrain<IProjectGrain>(id).Get() : Task.FromResult<ProjectView>(null!);
        await Task.WhenAll(company, client, project);
        return (await company, await client, await project);
    }

    private static string Wire<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
