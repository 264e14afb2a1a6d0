using System.Security.Claims;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Portal.Web.Application.Exports;
using Portal.Web.Auth;

namespace Portal.Web.Api;

/// <summary>
/// <c>GET /api/exports/invoices.csv</c> and <c>GET /api/exports/payments.csv</c> with <c>from</c> and <c>to</c>
/// (yyyy-mm-dd, the company's calendar days, both included): streamed CSV (see <see cref="CompanyExports"/>).
/// Money figures: owners and admins only.
/// </summary>
public static class ExportEndpoints
{
    public static void MapExportEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/exports/{kind}.csv", async (string kind, string? from, string? to, ClaimsPrincipal user, HttpContext http, CompanyExports exports) =>
        {
            var check = new RequestValidation();
            if (!CompanyExports.TryParseKind(kind, out var exportKind))
            {
                check.Add("kind", "Export 'invoices' or 'payments'.");
            }
            var problems = new Dictionary<string, string>(StringComparer.Ordinal);
            var range = CompanyExports.ParseRange(from, to, problems);
            foreach (var (field, message) in problems)
            {
                check.Add(field, message);
            }
            if (!check.IsValid || range is null)
            {
                return check.Problem();
            }
            await StreamAsync(http, exports, user.GetCompanyId(), exportKind, range);
            return Results.Empty;
        })
        .WithSummary("Invoices or payments for a date range as CSV")
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Responses ??= [];
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "The CSV file, streamed.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            };
            return Task.CompletedTask;
        });
    }

    /// <summary>Sends the export as a download, written while it is read.</summary>
    public static async Task StreamAsync(HttpContext http, CompanyExports exports, Guid companyId, ExportKind kind, ExportRange range)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment")
        {
            FileName = CompanyExports.FileName(kind, range),
        }.ToString();
        http.Response.Headers[HeaderNames.CacheControl] = "no-store";
        await exports.WriteAsync(companyId, kind, range, http.Response.Body, http.RequestAborted);
    }
}
