using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Portal.Domain;
using Portal.Web.Mail;

namespace Portal.Web.Api;

public static class ProposalEndpoints
{
    public static void MapProposalEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/proposals/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains, IOptions<JsonOptions> json) =>
            TypedResults.Ok(WithEvidenceLinks(await grains.OwnedProposal(user, id), json.Value.SerializerOptions)))
            // The body is the view (as a JSON node, to add the evidence links ApiDocument's schema transformer describes).
            .Produces<ProposalView>();

        // The drawn signature as an image, for staff (the proposal's JSON carries it as base64 too).
        api.MapGet("/proposals/{id:guid}/signature.png", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            (await grains.OwnedProposal(user, id)).Acceptance?.DrawnPng is { } png
                ? Results.Bytes(png, "image/png")
                : PortalProblems.Result(PortalRuleViolation.NotFound(RuleCodes.SignatureNotFound, "This proposal has no drawn signature.")))
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Responses ??= [];
                operation.Responses["200"] = new OpenApiResponse
                {
                    Description = "The drawn signature.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["image/png"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    },
                };
                return Task.CompletedTask;
            });

        api.MapPut("/proposals/{id:guid}", async (Guid id, EditProposalRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var check = new RequestValidation();
            var validUntil = check.Require("validUntil", request.ValidUntil);
            var lines = check.RequireLines(request.Lines);
            var notes = check.OptionalText("notes", request.Notes, 4000, multiline: true);
            if (!check.IsValid)
            {
                return check.Problem();
            }
            await grains.OwnedProposal(user, id);
            return TypedResults.Ok(await grains.GetGrain<IProposalGrain>(id).Edit(new EditProposal(lines, notes, validUntil)));
        }).Produces<ProposalView>();

        api.MapPost("/proposals/{id:guid}/send", async (Guid id, ClaimsPrincipal user, IGrainFactory grains, DocumentMailer mailer) =>
        {
            var proposal = await grains.OwnedProposal(user, id);
            var sent = await mailer.SendProposalAsync(proposal);
            return TypedResults.Ok(MailedResponse.Of(sent));
        });

        api.MapPost("/proposals/{id:guid}/withdraw", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.OwnedProposal(user, id);
            var proposal = await grains.GetGrain<IProposalGrain>(id).Withdraw();
            return TypedResults.Ok(new StatusResponse(StaffApi.Wire(proposal.Status)));
        });
    }

    /// <summary>
    /// The proposal as stored, plus for an acceptance the SHA-256 of its evidence (the value the project's activity
    /// log chains, so staff can check the two agree) and where to fetch a drawn signature as an image.
    /// </summary>
    private static JsonNode WithEvidenceLinks(ProposalView proposal, JsonSerializerOptions options)
    {
        var node = JsonSerializer.SerializeToNode(proposal, options)!;
        if (proposal.Acceptance is { } evidence && node["acceptance"] is JsonObject acceptance)
        {
            acceptance["evidenceSha256"] = SignatureEvidenceHash.Compute(evidence);
            acceptance["drawnPngUrl"] = evidence.DrawnPng is null ? null : $"/api/proposals/{proposal.Id}/signature.png";
        }
        return node;
    }
}
