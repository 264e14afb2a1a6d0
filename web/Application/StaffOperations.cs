using Portal.Domain;
using Portal.Silo.Storage;

namespace Portal.Web.Application;

/// <summary>
/// The multi-grain steps behind staff actions (check, allocate a number, then create the document), shared by the
/// JSON API and the demo seed so both do exactly the same thing. The domain's checks run before the number is
/// allocated, so a refused create leaves no gap in the company's sequences.
/// </summary>
public sealed class StaffOperations(IGrainFactory grains, IFileContentStore files, TimeProvider clock)
{
    public async Task<ClientView> CreateClientAsync(Guid companyId, ClientDetails details)
    {
        return await grains.GetGrain<IClientGrain>(Guid.NewGuid()).Create(companyId, details);
    }

    public async Task<ProjectView> CreateProjectAsync(ClientView client, string title, string? siteAddress)
    {
        var command = new CreateProject(client.CompanyId, client.Id, 0, title, siteAddress);
        ProjectState.CheckNew(command);
        var number = await grains.GetGrain<ICompanyGrain>(client.CompanyId).AllocateProjectNumber();
        return await grains.GetGrain<IProjectGrain>(Guid.NewGuid()).Create(command with { Number = number });
    }

    public async Task<ProposalView> CreateProposalAsync(ProjectView project, DocumentKind kind, DateOnly validUntil, IReadOnlyList<LineInput> lines, string? notes)
    {
        var companyGrain = grains.GetGrain<ICompanyGrain>(project.CompanyId);
        var company = await companyGrain.Get();
        var command = new CreateProposal(
            project.CompanyId, project.Id, project.ClientId, kind, string.Empty, validUntil, lines, notes,
            company.Currency, company.TimeZone, company.Terms?.Version);
        ProposalState.CheckNew(command, clock.GetUtcNow());
        ProjectRules.EnsureOpen(project.Status, project.Number, "add documents to");
        var number = await companyGrain.AllocateDocumentNumber(kind);
        return await grains.GetGrain<IProposalGrain>(Guid.NewGuid()).Create(command with { Number = number });
    }

    public async Task<InvoiceView> CreateInvoiceAsync(ProjectView project, DateOnly dueDate, IReadOnlyList<LineInput> lines, Guid? fromProposalId, string? notes)
    {
        var companyGrain = grains.GetGrain<ICompanyGrain>(project.CompanyId);
        var company = await companyGrain.Get();
        var command = new CreateInvoice(
            project.CompanyId, project.Id, project.ClientId, string.Empty, dueDate, lines,
            company.Currency, company.TimeZone, fromProposalId, notes);
        InvoiceState.CheckNew(command);
        ProjectRules.EnsureOpen(project.Status, project.Number, "add documents to");
        var number = await companyGrain.AllocateDocumentNumber(DocumentKind.Invoice);
        return await grains.GetGrain<IInvoiceGrain>(Guid.NewGuid()).Create(command with { Number = number });
    }

    /// <summary>Stores the bytes first, then records the file on the project; removes the bytes if that fails.</summary>
    public async Task<SharedFile> ShareFileAsync(ProjectView project, string name, string contentType, Stream content, CancellationToken cancellationToken)
    {
        // Refused before the bytes are stored; the project grain refuses the same way if it completes meanwhile.
        ProjectRules.EnsureOpen(project.Status, project.Number, "share files on");
        var fileId = Guid.NewGuid();
        var saved = await files.SaveAsync(fileId, project.Id, name, contentType, content, cancellationToken);
        var file = new SharedFile(fileId, name, contentType, saved.Length, saved.Sha256, clock.GetUtcNow());
        try
        {
            await grains.GetGrain<IProjectGrain>(project.Id).AddFile(file);
        }
        catch
        {
            await files.DeleteAsync(fileId, CancellationToken.None);
            throw;
        }
        return file;
    }
}
