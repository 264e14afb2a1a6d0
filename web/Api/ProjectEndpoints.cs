using System.Security.Claims;
using Portal.Web.Application;
using Portal.Web.Mail;

namespace Portal.Web.Api;

public static class ProjectEndpoints
{
    /// <summary>Largest file staff can share, in bytes.</summary>
    public const long MaxFileBytes = 25 * 1024 * 1024;

    /// <summary>Activity entries per page of <c>GET /api/projects/{id}/activity</c>, unless the caller asks for fewer.</summary>
    public const int DefaultActivityPage = 500;

    public const int MaxActivityPage = 1000;

    public static void MapProjectEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/projects", async (CreateProjectRequest request, ClaimsPrincipal user, IGrainFactory grains, StaffOperations operations) =>
        {
            var check = new RequestValidation();
            var clientId = check.Require("clientId", request.ClientId);
            var title = check.RequireText("title", request.Title);
            var site = check.OptionalText("siteAddress", request.SiteAddress, 500, multiline: true);
            if (!check.IsValid)
            {
                return check.Problem();
            }

            var client = await grains.OwnedClient(user, clientId);
            var project = await operations.CreateProjectAsync(client, title, site);
            return TypedResults.Created($"/api/projects/{project.Id}", new CreatedProjectResponse(project.Id, project.Number));
        }).Produces<CreatedProjectResponse>(StatusCodes.Status201Created);

        api.MapGet("/projects/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.OwnedProject(user, id)));

        // Oldest first, a page at a time: ?after=<last sequence seen>&limit=<n>. A full page says where the next starts
        // in a Link header (rel="next"); without parameters a log of up to a page answers whole, as it always did.
        api.MapGet("/projects/{id:guid}/activity", async (Guid id, long? after, int? limit, HttpResponse response, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var check = new RequestValidation();
            if (after is < 0)
            {
                check.Add("after", "'after' must be a sequence number (0 or more).");
            }
            if (limit is < 1 or > MaxActivityPage)
            {
                check.Add("limit", $"'limit' must be between 1 and {MaxActivityPage}.");
            }
            if (!check.IsValid)
            {
                return check.Problem();
            }
            await grains.OwnedProject(user, id);
            var pageSize = limit ?? DefaultActivityPage;
            var page = await grains.GetGrain<IProjectGrain>(id).GetActivityPage(after ?? 0, pageSize + 1);
            if (page.Count > pageSize)
            {
                page = [.. page.Take(pageSize)];
                response.Headers.Link = $"</api/projects/{id}/activity?after={page[^1].Sequence}&limit={pageSize}>; rel=\"next\"";
            }
            return Results.Ok(page);
        }).Produces<IReadOnlyList<ActivityEntry>>(StatusCodes.Status200OK);

        api.MapGet("/projects/{id:guid}/activity/verify", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.OwnedProject(user, id);
            return TypedResults.Ok(await grains.GetGrain<IProjectGrain>(id).VerifyActivity());
        });

        api.MapPost("/projects/{id:guid}/proposals", async (Guid id, CreateProposalRequest request, ClaimsPrincipal user, IGrainFactory grains, StaffOperations operations) =>
        {
            var check = new RequestValidation();
            var kind = check.Require("kind", request.Kind);
            if (request.Kind is DocumentKind.Invoice)
            {
                check.Add("kind", "'kind' must be \"quote\" or \"estimate\".");
            }
            var validUntil = check.Require("validUntil", request.ValidUntil);
            var lines = check.RequireLines(request.Lines);
            var notes = check.OptionalText("notes", request.Notes, 4000, multiline: true);
            if (!check.IsValid)
            {
                return check.Problem();
            }

            var project = await grains.OwnedProject(user, id);
            var proposal = await operations.CreateProposalAsync(project, kind, validUntil, lines, notes);
            return TypedResults.Created($"/api/proposals/{proposal.Id}", new CreatedNumberedResponse(proposal.Id, proposal.Number));
        }).Produces<CreatedNumberedResponse>(StatusCodes.Status201Created);

        api.MapPost("/projects/{id:guid}/invoices", async (Guid id, CreateInvoiceRequest request, ClaimsPrincipal user, IGrainFactory grains, StaffOperations operations) =>
        {
            var check = new RequestValidation();
            var dueDate = check.Require("dueDate", request.DueDate);
            var notes = check.OptionalText("notes", request.Notes, 4000, multiline: true);
            IReadOnlyList<LineInput> lines = [];
            if (request.FromProposalId is null)
            {
                lines = check.RequireLines(request.Lines);
            }
            if (!check.IsValid)
            {
                return check.Problem();
            }

            var project = await grains.OwnedProject(user, id);
            if (request.FromProposalId is { } proposalId)
            {
                var proposal = await grains.OwnedProposal(user, proposalId);
                if (proposal.ProjectId != project.Id)
                {
                    throw PortalRuleViolation.Invalid(RuleCodes.InvoiceProposalOtherProject, "The proposal belongs to another project.");
                }
                if (proposal.Status != ProposalStatus.Accepted)
                {
                    throw new PortalRuleViolation(RuleCodes.InvoiceProposalNotAccepted, $"{proposal.Number} is not accepted, so it cannot be invoiced.");
                }
                lines = request.Lines is { Count: > 0 } ? check.RequireLines(request.Lines)
                    : proposal.Lines.Select(l => new LineInput(l.Description, l.Quantity, l.UnitPrice, l.VatRate)).ToList();
                if (!check.IsValid)
                {
                    return check.Problem();
                }
            }

            var invoice = await operations.CreateInvoiceAsync(project, dueDate, lines, request.FromProposalId, notes);
            return TypedResults.Created($"/api/invoices/{invoice.Id}", new CreatedNumberedResponse(invoice.Id, invoice.Number));
        }).Produces<CreatedNumberedResponse>(StatusCodes.Status201Created);

        api.MapPost("/projects/{id:guid}/events", async (Guid id, CreateEventRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var check = new RequestValidation();
            var name = check.RequireText("name", request.Name);
            var startsAt = check.Require("startsAt", request.StartsAt);
            var endsAt = check.Require("endsAt", request.EndsAt);
            if (request.StartsAt is not null && request.EndsAt is not null && endsAt <= startsAt)
            {
                check.Add("endsAt", "'endsAt' must be after 'startsAt'.");
            }
            if (!check.IsValid)
            {
                return check.Problem();
            }

            await grains.OwnedProject(user, id);
            var booking = await grains.GetGrain<IProjectGrain>(id).AddBooking(name, startsAt, endsAt);
            return TypedResults.Created($"/api/projects/{id}", booking);
        }).Produces<Booking>(StatusCodes.Status201Created);

        api.MapPost("/projects/{id:guid}/files", async (Guid id, HttpRequest http, ClaimsPrincipal user, IGrainFactory grains, StaffOperations operations, DocumentMailer mailer, CancellationToken cancellationToken) =>
        {
            var check = new RequestValidation();
            if (!http.HasFormContentType)
            {
                check.Add("file", "Send the file as multipart/form-data in a field named 'file'.");
                return check.Problem();
            }
            var form = await http.ReadFormAsync(cancellationToken);
            var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null);
            if (file is null || file.Length == 0)
            {
                check.Add("file", "A non-empty file is required in the field 'file'.");
            }
            else if (file.Length > MaxFileBytes)
            {
                check.Add("file", $"The file must be at most {MaxFileBytes / (1024 * 1024)} MB.");
            }
            var name = check.RequireText("file.name", Path.GetFileName(file?.FileName ?? string.Empty), 255);
            if (!check.IsValid || file is null)
            {
                return check.Problem();
            }

            var project = await grains.OwnedProject(user, id);
            // The client is emailed ("View files") unless the form says notify=false.
            var notify = !string.Equals(form["notify"].ToString(), "false", StringComparison.OrdinalIgnoreCase);
            var email = notify ? await mailer.PrepareFilesAsync(project, [name]) : null;
            var contentType = string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType;
            await using var stream = file.OpenReadStream();
            var shared = await operations.ShareFileAsync(project, name, contentType, stream, cancellationToken);
            var mailed = email is null ? null : await mailer.SendFilesAsync(project, shared.Id, email);
            return TypedResults.Created($"/api/projects/{id}", new FileResponse(shared.Id, shared.Name, shared.ContentType, shared.Size, shared.Sha256)
            {
                PortalUrl = mailed?.Link.Url,
                MessageId = mailed?.Message.Id,
                LinkId = mailed?.Link.Id,
            });
        }).DisableAntiforgery()
            .Accepts<ShareFileForm>("multipart/form-data")
            .Produces<FileResponse>(StatusCodes.Status201Created);

        api.MapPost("/projects/{id:guid}/complete", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.OwnedProject(user, id);
            var project = await grains.GetGrain<IProjectGrain>(id).Complete();
            return TypedResults.Ok(new StatusResponse(StaffApi.Wire(project.Status)));
        });

        api.MapPost("/projects/{id:guid}/reopen", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.OwnedProject(user, id);
            var project = await grains.GetGrain<IProjectGrain>(id).Reopen();
            return TypedResults.Ok(new StatusResponse(StaffApi.Wire(project.Status)));
        });
    }
}
