using System.Globalization;
using System.Text;
using Microsoft.Net.Http.Headers;
using Portal.Silo.Storage;
using Portal.Web.Api;
using Portal.Web.Hosting;

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
        portal.MapGet("/files/{id:guid}", (Guid id, HttpContext http, PortalContext context, IFileContentStore files, DownloadSlots slots) => ServeFileAsync(id, inline: true, http, context, files, slots));
        portal.MapGet("/files/{id:guid}/download", (Guid id, HttpContext http, PortalContext context, IFileContentStore files, DownloadSlots slots) => ServeFileAsync(id, inline: false, http, context, files, slots));
        portal.MapGet("/invoices/{id:guid}/download", DownloadInvoiceAsync);
        portal.MapGet("/brand.css", BrandCssAsync);
        portal.MapSigningEndpoints();
        return app;
    }

    private static async Task<IResult> ServeFileAsync(Guid id, bool inline, HttpContext http, PortalContext context, IFileContentStore files, DownloadSlots slots)
    {
        var cancellationToken = http.RequestAborted;
        // Whether the client may have the file is settled from its facts and the project's list alone: not a byte
        // of content is read for someone else's file, and an unknown or foreign id answers the same 404.
        var file = await files.GetInfoAsync(id, cancellationToken);
        if (file is null)
        {
            return Results.NotFound();
        }
        var project = await context.FindProjectAsync(file.ProjectId);
        if (project is null || project.Files.All(f => f.Id != id))
        {
            return Results.NotFound();
        }

        var slot = slots.TryTake(context.ClientId);
        if (slot is null)
        {
            return await DownloadsBusyAsync(http);
        }
        // The slot and the database connection behind the content are given back when the response ends, however it
        // ends: sent, aborted by the client, or failed.
        http.Response.RegisterForDispose(slot);
        var content = await files.OpenReadAsync(id, cancellationToken);
        if (content is null)
        {
            return Results.NotFound();
        }
        http.Response.RegisterForDisposeAsync(content);

        var mediaType = MediaTypeHeaderValue.TryParse(file.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        var known = mediaType is not null && InlineTypes.Contains(mediaType);
        // Plain text is served as UTF-8 text and nothing else (no charset games); other allowed types as their bare type.
        var contentType = !known ? "application/octet-stream"
            : string.Equals(mediaType, "text/plain", StringComparison.OrdinalIgnoreCase) ? "text/plain; charset=utf-8"
            : mediaType!.ToLowerInvariant();
        return new FileDownload(content, contentType, file.FileName, inline && known);
    }

    /// <summary>
    /// One download too many for this client: refused at once rather than queued, so a waiting request holds
    /// nothing. A person opening files one by one never meets it; a script or download manager is told when to
    /// retry. Callers that ask for JSON get the rate limiter's problem (<c>request.rate_limited</c>), people a line
    /// of text saying what to do.
    /// </summary>
    private static async Task<IResult> DownloadsBusyAsync(HttpContext http)
    {
        if (PortalProblems.WantsProblem(http.Request))
        {
            await RateLimits.TooManyRequestsAsync(http, DownloadOptions.RetryAfterSeconds, http.RequestAborted);
            return Results.Empty;
        }
        http.Response.Headers.RetryAfter = DownloadOptions.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Text(
            "You are already downloading several files. Please wait for one of them to finish, then try again.",
            "text/plain; charset=utf-8",
            Encoding.UTF8,
            StatusCodes.Status429TooManyRequests);
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
        return new FileDownload(new MemoryStream(Encoding.UTF8.GetBytes(text)), "text/plain; charset=utf-8", $"{invoice.Number}.txt", Inline: false);
    }

    private static async Task<IResult> BrandCssAsync(PortalContext context)
    {
        var company = await context.GetCompanyAsync();
        var css = BrandStyle.Css(company?.BrandColour);
        return Results.Text(css, "text/css; charset=utf-8");
    }

    /// <summary>
    /// A file response with an explicit inline/attachment disposition and an RFC 6266 file name. The content is
    /// copied to the response a chunk at a time, so a large file never sits in memory whole.
    /// </summary>
    private sealed record FileDownload(Stream Content, string ContentType, string FileName, bool Inline) : IResult
    {
        private const int ChunkSize = 64 * 1024;

        public async Task ExecuteAsync(HttpContext httpContext)
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
            await using (Content)
            {
                try
                {
                    await Content.CopyToAsync(response.Body, ChunkSize, httpContext.RequestAborted);
                }
                catch (Exception aborted) when (aborted is OperationCanceledException or IOException && httpContext.RequestAborted.IsCancellationRequested)
                {
                    // The client went away mid-file; there is no one left to answer.
                }
            }
        }
    }
}
