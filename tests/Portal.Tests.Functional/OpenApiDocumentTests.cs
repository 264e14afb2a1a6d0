using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Api;

namespace Portal.Tests.Functional;

/// <summary>
/// The staff API's OpenAPI document at /openapi/v1.json: every route the app maps under /api is in it with each of its
/// methods, with request and response shapes and the refusal codes of its problem responses, and nothing else is.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class OpenApiDocumentTests(PortalHostFixture fixture)
{
    [Fact]
    public async Task The_document_is_OpenAPI_3_served_without_a_key_and_names_the_bearer_scheme()
    {
        var document = await DocumentAsync();

        Assert.StartsWith("3.", document.Str("openapi"));
        Assert.Equal("Portal staff API", document["info"]!.Str("title"));
        var scheme = document["components"]!["securitySchemes"]![ApiDocument.SecurityScheme]!;
        Assert.Equal("http", scheme.Str("type"));
        Assert.Equal("bearer", scheme.Str("scheme"));
        Assert.Contains(document["security"]!.AsArray(), requirement => requirement![ApiDocument.SecurityScheme] is not null);
    }

    [Fact]
    public async Task Every_mapped_api_route_is_in_the_document_with_each_of_its_methods()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();

        var mapped = MappedRoutes().Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.True(mapped.Count >= 25, $"only {mapped.Count} /api routes found");
        var missing = mapped
            .SelectMany(r => r.Methods.Select(m => (r.Path, Method: m)))
            .Where(r => paths[r.Path]?[r.Method.ToLowerInvariant()] is null)
            .Select(r => $"{r.Method} {r.Path}")
            .ToList();
        Assert.True(missing.Count == 0, "not in /openapi/v1.json: " + string.Join(", ", missing));
        Assert.All(mapped, r => Assert.NotEmpty(r.Methods));
    }

    [Fact]
    public async Task Routes_outside_the_api_are_not_in_the_document()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.All(paths, path => Assert.StartsWith("/api/", path));
        var others = MappedRoutes().Select(r => r.Path).Where(p => !p.StartsWith("/api/", StringComparison.Ordinal)).ToHashSet();
        // The client portal's link entry, its actions, the hubs and the document itself are mapped, and stay out.
        Assert.Contains("/p/{token}", others);
        Assert.Contains("/hubs/portal", others);
        Assert.Contains(ApiDocument.Path, others);
        Assert.Empty(paths.Intersect(others));
    }

    [Fact]
    public async Task Every_operation_documents_its_success_response_and_every_success_with_a_body_its_schema()
    {
        var document = await DocumentAsync();

        var operations = Operations(document).ToList();
        var withoutSuccess = operations.Where(o => !o.Operation["responses"]!.AsObject().Any(r => r.Key.StartsWith('2'))).Select(o => o.Name).ToList();
        Assert.True(withoutSuccess.Count == 0, "no 2xx response: " + string.Join(", ", withoutSuccess));

        var withoutSchema = operations
            .SelectMany(o => o.Operation["responses"]!.AsObject()
                .Where(r => r.Key.StartsWith('2') && r.Key != "204")
                .Where(r => r.Value!["content"]?.AsObject().FirstOrDefault().Value?["schema"] is null)
                .Select(r => $"{o.Name} {r.Key}"))
            .ToList();
        Assert.True(withoutSchema.Count == 0, "2xx without a schema: " + string.Join(", ", withoutSchema));
    }

    [Fact]
    public async Task Creating_a_proposal_documents_its_request_body_and_its_201_response()
    {
        var document = await DocumentAsync();
        var operation = document["paths"]!["/api/projects/{id}/proposals"]!["post"]!;

        var body = Resolve(document, operation["requestBody"]!["content"]!["application/json"]!["schema"]!);
        Assert.NotNull(body["properties"]!["kind"]);
        Assert.NotNull(body["properties"]!["lines"]);
        Assert.NotNull(body["properties"]!["validUntil"]);

        var created = Resolve(document, operation["responses"]!["201"]!["content"]!["application/json"]!["schema"]!);
        Assert.NotNull(created["properties"]!["id"]);
        Assert.NotNull(created["properties"]!["number"]);
    }

    [Fact]
    public async Task Problem_responses_are_problem_json_and_name_the_codes_each_status_carries()
    {
        var document = await DocumentAsync();
        var responses = document["paths"]!["/api/projects/{id}/proposals"]!["post"]!["responses"]!;

        Assert.Contains(RuleCodes.ProjectNotFound, CodesOf(responses["404"]!));
        Assert.Contains(RuleCodes.ValidationFailed, CodesOf(responses["400"]!));
        Assert.Contains(RuleCodes.RequestMalformed, CodesOf(responses["400"]!));
        Assert.Contains(RuleCodes.ProjectComplete, CodesOf(responses["409"]!));
        Assert.NotNull(responses["401"]!["content"]![ApiDocument.ProblemContentType]);

        // A read documents only what a read can answer: unknown, not a refused change.
        var read = document["paths"]!["/api/invoices/{id}"]!["get"]!["responses"]!.AsObject();
        Assert.Equal([RuleCodes.InvoiceNotFound], CodesOf(read["404"]!));
        Assert.Null(read["409"]);

        var problem = document["components"]!["schemas"]![ApiDocument.ProblemSchema]!["properties"]!.AsObject();
        Assert.Equal(["type", "title", "status", "code", "detail", "errors"], problem.Select(p => p.Key));
    }

    [Fact]
    public async Task Every_documented_code_sits_under_the_status_the_error_table_gives_it()
    {
        var document = await DocumentAsync();
        var table = ErrorTable();

        // The document's rule for a code's status agrees with docs/api.md for every code the staff API can answer ...
        Assert.True(ApiDocument.StaffApiCodes.Count > 60, $"only {ApiDocument.StaffApiCodes.Count} staff API codes");
        var disagreeing = ApiDocument.StaffApiCodes
            .Where(code => !table.TryGetValue(code, out var status) || ApiDocument.StatusOf(code) != status)
            .Select(code => $"{code}: {ApiDocument.StatusOf(code)}")
            .ToList();
        Assert.True(disagreeing.Count == 0, "ApiDocument.StatusOf disagrees with docs/api.md: " + string.Join(", ", disagreeing));

        // ... and every code an operation lists is a catalogued one under its documented status.
        var misplaced = Operations(document)
            .SelectMany(o => o.Operation["responses"]!.AsObject().SelectMany(r => CodesOf(r.Value!).Select(code => (o.Name, Status: r.Key, Code: code))))
            .Where(c => !table.TryGetValue(c.Code, out var status) || status.ToString(CultureInfo.InvariantCulture) != c.Status)
            .Select(c => $"{c.Name} {c.Status} {c.Code}")
            .ToList();
        Assert.True(misplaced.Count == 0, "codes under the wrong status: " + string.Join(", ", misplaced));
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var anonymous = fixture.Host.CreateClient();
        using var response = await anonymous.GetAsync(ApiDocument.Path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {ApiDocument.Path} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    /// <summary>Every route the app maps, as the document spells its path (constraints dropped), with its methods.</summary>
    private IEnumerable<(string Path, IReadOnlyList<string> Methods)> MappedRoutes() =>
        fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (
                Path: "/" + RouteConstraint().Replace(e.RoutePattern.RawText ?? string.Empty, "{${name}}").TrimStart('/'),
                Methods: (IReadOnlyList<string>)(e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])))
            .GroupBy(r => r.Path)
            .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.SelectMany(r => r.Methods).Distinct()]));

    private static IEnumerable<(string Name, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => ($"{op.Key.ToUpperInvariant()} {path.Key}", op.Value!)));

    /// <summary>The codes a problem response narrows <c>code</c> to (none for a response that names no code).</summary>
    private static List<string> CodesOf(JsonNode response)
    {
        var schema = response["content"]?[ApiDocument.ProblemContentType]?["schema"];
        var narrowed = schema?["allOf"]?.AsArray().Select(s => s!["properties"]?["code"]?["enum"]).OfType<JsonNode>().FirstOrDefault();
        return narrowed?.AsArray().Select(c => c!.GetValue<string>()).ToList() ?? [];
    }

    private static JsonNode Resolve(JsonNode document, JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]!
            : schema;

    private static Dictionary<string, int> ErrorTable()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Portal.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var reference = File.ReadAllText(Path.Combine(root.FullName, "docs", "api.md"));
        var start = reference.IndexOf("### Error codes", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/api.md has no \"### Error codes\" section");
        var rows = TableRow().Matches(reference[start..]).ToDictionary(m => m.Groups["code"].Value, m => int.Parse(m.Groups["status"].Value, CultureInfo.InvariantCulture));
        Assert.True(rows.Count > 80, $"only {rows.Count} rows in docs/api.md's error table");
        return rows;
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:[^}]*)?\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"^\| `(?<code>[a-z_.]+)` \| (?<status>\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
