using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Portal.Web.Auth;

namespace Portal.Web.Api;

/// <summary>
/// The staff API's OpenAPI document (<see cref="Path"/>): every <c>/api</c> route with its request and response shapes,
/// the bearer API key it needs, and on each operation the problem responses it can answer with the refusal codes
/// (<see cref="RuleCodes"/>) each status carries. Nothing else the app serves (pages, the client portal, hubs, webhooks)
/// is in it.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/openapi/v1.json";
    public const string ProblemSchema = "Problem";
    public const string SecurityScheme = ApiKeyAuthenticationHandler.SchemeName;
    public const string ProblemContentType = "application/problem+json";

    private const string Description =
        "The staff JSON API of the Portal. Authenticate every request with `Authorization: Bearer <api key>` (the key is " +
        "printed at first start, or set by `Portal:Bootstrap:ApiKey`). Money is a JSON decimal in major units with the " +
        "company's currency; VAT rates are percentages. Every refusal is an RFC 9457 problem (`application/problem+json`) " +
        "whose `code` is a stable refusal code: 400 the request is malformed or a field is not valid (`errors` names each " +
        "field for `validation.failed`), 401 no or an unknown API key, 404 unknown (another company's resource answers the " +
        "same), 409 the current state refuses the change. Each operation lists the codes it can answer per status.";

    /// <summary>The resource an <c>/api</c> path segment names, as the area of its refusal codes (<c>area.rule</c>).</summary>
    private static readonly IReadOnlyDictionary<string, string> AreaOfSegment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["company"] = Area(RuleCodes.CompanyNotFound),
        ["clients"] = Area(RuleCodes.ClientNotFound),
        ["projects"] = Area(RuleCodes.ProjectNotFound),
        ["proposals"] = Area(RuleCodes.ProposalNotFound),
        ["invoices"] = Area(RuleCodes.InvoiceNotFound),
        ["portal-links"] = Area(RuleCodes.LinkNotFound),
        ["messages"] = Area(RuleCodes.MailNotFound),
        ["api-keys"] = Area(RuleCodes.ApiKeyNotFound),
        ["signature.png"] = Area(RuleCodes.SignatureNotFound),
        ["team"] = Area(RuleCodes.StaffNotFound),
    };

    /// <summary>Areas whose every code is a 400: what any request with a body can be refused with.</summary>
    private static readonly string[] InputAreas = [Area(RuleCodes.ValidationFailed), Area(RuleCodes.MoneyCurrency)];

    /// <summary>Codes a client's page, a portal link or the payment provider's webhook is answered with, never the staff API.</summary>
    private static readonly string[] NotOnTheStaffApi = [RuleCodes.RequestAntiforgery, RuleCodes.LinkRevoked, RuleCodes.LinkExpired,
        RuleCodes.StaffTicketNotFound, RuleCodes.StaffTicketExpired, RuleCodes.StaffTicketUsed];

    private static readonly string WebhookArea = Area(RuleCodes.WebhookNotStored);

    /// <summary>The refusal codes (<see cref="RuleCodes"/>) the staff API can answer with.</summary>
    public static IReadOnlyList<string> StaffApiCodes { get; } = typeof(RuleCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Where(code => !NotOnTheStaffApi.Contains(code) && Area(code) != WebhookArea)
        .ToList();

    public static IServiceCollection AddPortalApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Portal staff API";
                document.Info.Description = Description;
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A staff API key: `Authorization: Bearer <api key>` (a signed-in session cookie works too, with the antiforgery token on unsafe calls).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, document)] = [] }];
                EnsureProblemSchema(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ProblemResponsesMetadata>().Any() && context.Document is { } document)
                {
                    EnsureProblemSchema(document);
                    AddProblemResponses(operation, context.Description.HttpMethod, context.Description.RelativePath ?? string.Empty, document);
                }
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // The API writes numbers as numbers; that it also reads them from strings is leniency, not the shape.
                if (schema.Type is { } type && (type & (JsonSchemaType.Number | JsonSchemaType.Integer)) != 0 && (type & JsonSchemaType.String) != 0)
                {
                    schema.Type = type & ~JsonSchemaType.String;
                    schema.Pattern = null;
                }
                if (context.JsonTypeInfo.Type == typeof(decimal) || context.JsonTypeInfo.Type == typeof(decimal?))
                {
                    schema.Format = "decimal";
                }
                // GET /api/proposals/{id} adds these to an acceptance (ProposalEndpoints.WithEvidenceLinks).
                if (context.JsonTypeInfo.Type == typeof(SignatureEvidence) && schema.Properties is { } properties)
                {
                    properties["evidenceSha256"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "SHA-256 of the evidence, as the project's activity log chains it." };
                    properties["drawnPngUrl"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "Where to fetch the drawn signature as an image." };
                }
                return Task.CompletedTask;
            });
        });

    /// <summary>Documents the problem responses of every endpoint in the group (see <see cref="CodesFor"/>).</summary>
    public static TBuilder WithProblemResponses<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemResponsesMetadata());

    /// <summary>
    /// The refusal codes a route can answer, by status. Derived from the route, not listed per route: the not-found code
    /// of each resource its path names; for a change (not a GET) every other code of those resources; for a request with a
    /// body, <c>request.malformed</c> and every <c>validation.*</c> and <c>money.*</c> code (the domain validates too).
    /// A 400 is about the request's content, so a route without a body documents none.
    /// </summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<string>> CodesFor(string? method, string relativePath, bool hasBody)
    {
        var areas = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(segment => AreaOfSegment.GetValueOrDefault(segment))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var changes = !HttpMethods.IsGet(method ?? string.Empty);
        var codes = StaffApiCodes.Where(code => StatusOf(code) switch
        {
            StatusCodes.Status404NotFound => areas.Contains(Area(code)),
            StatusCodes.Status400BadRequest => hasBody && (areas.Contains(Area(code)) || code == RuleCodes.RequestMalformed || InputAreas.Contains(Area(code))),
            _ => changes && areas.Contains(Area(code)),
        });
        return codes
            .GroupBy(StatusOf)
            .OrderBy(g => g.Key)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g]);
    }

    /// <summary>
    /// The status a staff API code is answered with (docs/api.md's error table; a functional test holds the two together):
    /// not-found codes 404, request, validation and money codes 400, the few named below their own, the rest 409.
    /// </summary>
    public static int StatusOf(string code) => code switch
    {
        _ when code.EndsWith(".not_found", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
        _ when code == RuleCodes.RequestMalformed || InputAreas.Contains(Area(code)) => StatusCodes.Status400BadRequest,
        RuleCodes.InvoiceProposalOtherProject => StatusCodes.Status400BadRequest,
        RuleCodes.PaymentProviderUnavailable => StatusCodes.Status502BadGateway,
        RuleCodes.RequestRateLimited => StatusCodes.Status429TooManyRequests,
        RuleCodes.StaffForbidden => StatusCodes.Status403Forbidden,
        RuleCodes.StaffTicketExpired or RuleCodes.StaffTicketUsed => StatusCodes.Status410Gone,
        _ => StatusCodes.Status409Conflict,
    };

    private static string Area(string code) => code[..code.IndexOf('.', StringComparison.Ordinal)];

    private static void AddProblemResponses(OpenApiOperation operation, string? method, string relativePath, OpenApiDocument document)
    {
        operation.Responses ??= [];
        var byStatus = CodesFor(method, relativePath, operation.RequestBody is not null);
        foreach (var (status, codes) in byStatus)
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                ProblemResponse(PortalProblems.TitleFor(status), codes, document);
        }
        operation.Responses["401"] = ProblemResponse("No API key, or an unknown one.", [], document);
        operation.Responses["403"] = ProblemResponse(
            "The caller's role may not do this (the permission table); nothing changed.", [RuleCodes.StaffForbidden], document);
        operation.Responses["429"] = ProblemResponse(
            "Too many requests with this API key, or too many failed keys from this network; Retry-After says when to try again.",
            [RuleCodes.RequestRateLimited], document);
    }

    private static OpenApiResponse ProblemResponse(string description, IReadOnlyList<string> codes, OpenApiDocument document)
    {
        IOpenApiSchema schema = new OpenApiSchemaReference(ProblemSchema, document);
        if (codes.Count > 0)
        {
            // The shared shape, narrowed to the codes this operation can answer with this status.
            schema = new OpenApiSchema
            {
                AllOf =
                [
                    schema,
                    new OpenApiSchema
                    {
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. codes.Select(c => (JsonNode)JsonValue.Create(c))] },
                        },
                    },
                ],
            };
            description += " Codes: " + string.Join(", ", codes.Select(c => $"`{c}`")) + ".";
        }
        return new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemContentType] = new() { Schema = schema } },
        };
    }

    /// <summary>The one problem shape (<see cref="PortalProblems"/>), once in the document's components.</summary>
    private static void EnsureProblemSchema(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (document.Components.Schemas.ContainsKey(ProblemSchema))
        {
            return;
        }
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details. `code` is the refusal code (absent only on a bare 401 or an unmatched route).",
            Required = new HashSet<string> { "type", "title", "status" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable refusal code (docs/api.md lists them)." },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "For `validation.failed`: the messages of each field that is not valid.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
    }

    /// <summary>Marks the endpoints whose problem responses the document describes.</summary>
    public sealed class ProblemResponsesMetadata;
}
