using System.Text;
using Microsoft.Net.Http.Headers;
using Portal.Silo.Storage;

namespace Portal.Web.ClientPortal;

/// <summary>Non-page portal routes: shared files, invoice downloads and the company's brand stylesheet.</summary>
public static class PortalEndpoints
{
    /// <summary>
    /// The only types a shared file is shown inline as: raster images, PDF and plain text. Everything else (HTML,
    /// SVG, any *+xml, scripts, and whatever a browser may learn to run next) is a download of opaque bytes,
    /// whatever the uploader claimed.
    /// </summary>
    public static readonly IReadOnlySet<string> InlineTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain",
    };

    /// <summary>Every file response runs sandboxed: no script, no same-origin access, even if a browser renders it.</summary>
    public const string FileContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

    public static IEndpointRouteBuilder MapPortalEndpoints(this IEndpointRouteBuilder app)
    {
        var portal = app.MapGroup("/portal").RequireAuthorization(ClientSession.Policy);
        portal.MapGet("/files/{id:guid}", (Guid id, PortalContext context, IFileContentStore files, CancellationToken ct) => ServeFileAsync(id, inline: true, context, files, ct));
        portal.MapGet("/files/{id:guid}/download", (Guid id, PortalContext context, IFileContentStore files, CancellationToken ct) => ServeFileAsync(id, inline: false, context, files, ct));
        portal.MapGet("/invoices/{id:guid}/download", DownloadInvoiceAsync);
        portal.MapGet("/brand.css", BrandCssAsync);
        portal.MapSigningEndpoints();
        return app;
    }

    private static async Task<IResult> ServeFileAsync(Guid id, bool inline, PortalContext context, IFileContentStore files, CancellationToken cancellationToken)
    {
        var file = await files.GetAsync(id, cancellationToken);
        if (file is null)
        {
            return Results.NotFound();
        }
        var project = await context.FindProjectAsync(file.ProjectId);
        if (project is null || project.Files.All(f => f.Id != id))
        {
            return Results.NotFound();
        }
        var mediaType = MediaTypeHeaderValue.TryParse(file.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        var known = mediaType is not null && InlineTypes.Contains(mediaType);
        // Plain text is served as UTF-8 text and nothing else (no charset games); other allowed types as their bare type.
        var contentType = !known ? "application/octet-stream"
            : string.Equals(mediaType, "text/plain", StringComparison.OrdinalIgnoreCase) ? "text/plain; charset=utf-8"
            : mediaType!.ToLowerInvariant();
        return new FileDownload(file.Content, contentType, file.FileName, inline && known);
    }

    private static async Task<IResult> DownloadInvoiceAsync(Guid id, PortalContext context)
    {
        var invoice = await context.FindInvoiceAsync(id);
        if (invoice is null)
        {
            return Results.NotFound();
        }
        var company = (await context.GetCompanyAsync())!;
        var client = await context.GetClientAsync();
        var text = InvoiceText.Render(invoice, company, client);
        return new FileDownload(Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", $"{invoice.Number}.txt", Inline: false);
    }

    private static async Task<IResult> BrandCssAsync(PortalContext context)
    {
        var company = await context.GetCompanyAsync();
        var css = BrandStyle.Css(company?.BrandColour);
        return Results.Text(css, "text/css; charset=utf-8");
    }

    /// <summary>A file response with an explicit inline/attachment disposition and an RFC 6266 file name.</summary>
    private sealed record FileDownload(byte[] Content, string ContentType, string FileName, bool Inline) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var disposition = new ContentDispositionHeaderValue(Inline ? "inline" : "attachment");
            disposition.SetHttpFileName(FileName);
            var response = httpContext.Response;
            response.ContentType = ContentType;
            response.ContentLength = Content.Length;
            response.Headers.ContentDisposition = disposition.ToString();
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.ContentSecurityPolicy = FileContentSecurityPolicy;
            response.Headers.CacheControl = "private, no-store";
            return response.Body.WriteAsync(Content).AsTask();
        }
    }
}
