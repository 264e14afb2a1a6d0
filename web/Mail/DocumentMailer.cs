using Portal.Domain;
using Portal.Web.Links;

namespace Portal.Web.Mail;

/// <summary>A document or files sent to the client: the new status, the link in the email, and the stored message.</summary>
public sealed record MailedDocument(string Status, IssuedLink Link, MailMessageView Message);

/// <summary>
/// Staff sends: the email is composed here first (a refused name or subject changes nothing), around a fresh
/// portal link; the document grain then marks itself sent, issues the link and stores the message in the outbox as
/// one durable, idempotent step (a retry after a failure finishes the same send). The request is answered only
/// after that; delivery happens on the silo afterwards.
/// </summary>
public sealed class DocumentMailer(IGrainFactory grains, PortalLinkIssuer links, PublicUrls urls)
{
    public async Task<MailedDocument> SendProposalAsync(ProposalView proposal)
    {
        var (company, client, project) = await LoadAsync(proposal.CompanyId, proposal.ClientId, proposal.ProjectId);
        var draft = ClientEmails.DocumentSent(company, client, project,
            new SentDocument(proposal.Kind, proposal.Id, proposal.Number, proposal.Totals.Total, proposal.Totals.Currency, proposal.ValidUntil), urls.BaseUrl);
        var sent = await grains.GetGrain<IProposalGrain>(proposal.Id).Send(Compose(draft));
        return Mailed(Wire(sent.Proposal.Status), sent.Email);
    }

    public async Task<MailedDocument> SendInvoiceAsync(InvoiceView invoice)
    {
        var (company, client, project) = await LoadAsync(invoice.CompanyId, invoice.ClientId, invoice.ProjectId);
        var draft = ClientEmails.DocumentSent(company, client, project,
            new SentDocument(DocumentKind.Invoice, invoice.Id, invoice.Number, invoice.Totals.Total, invoice.Totals.Currency, invoice.DueDate), urls.BaseUrl);
        var sent = await grains.GetGrain<IInvoiceGrain>(invoice.Id).Send(Compose(draft));
        return Mailed(Wire(sent.Invoice.Status), sent.Email);
    }

    /// <summary>Checks the files email can be written before anything is shared; <see cref="SendFilesAsync"/> finishes it.</summary>
    public async Task<EmailDraft> PrepareFilesAsync(ProjectView project, IReadOnlyList<string> fileNames)
    {
        var (company, client, _) = await LoadAsync(project.CompanyId, project.ClientId, null);
        return ClientEmails.FilesShared(company, client, project, fileNames, urls.BaseUrl);
    }

    /// <summary>
    /// Issues a link to the project page ("Shared files" is there) and stores the message, under ids derived from
    /// the shared file.
    /// </summary>
    public async Task<MailedDocument> SendFilesAsync(ProjectView project, Guid fileId, EmailDraft draft)
    {
        var link = await links.IssueAsync(project.CompanyId, project.ClientId, new LinkTarget(LinkTargetKind.Project, project.Id), PortalLinkOrigin.Email, DerivedIds.For(fileId, "files:link"));
        var message = await grains.GetGrain<IMailMessageGrain>(DerivedIds.For(fileId, "files:mail")).Enqueue(draft.WithLink(link.Url));
        return new MailedDocument(Wire(project.Status), link, message);
    }

    /// <summary>The finished email around a new link, which the document grain issues with the send.</summary>
    private SendDocument Compose(EmailDraft draft)
    {
        var link = links.Prepare();
        return new SendDocument(draft.WithLink(link.Url), link.Url, link.TokenHash, link.ExpiresAt);
    }

    private static MailedDocument Mailed(string status, SentEmail email) =>
        new(status, new IssuedLink(email.LinkId, email.PortalUrl, email.LinkExpiresAt), email.Message);

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
