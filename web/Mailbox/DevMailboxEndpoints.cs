using System.Text;
using MimeKit;
using Portal.Silo.Mail;

namespace Portal.Web.Mailbox;

/// <summary>
/// <c>/dev/mailbox</c>: what the embedded SMTP server received, for a newcomer running the demo. Mapped only where
/// that server runs; every page needs staff (see <see cref="DevMailboxAccess"/>).
/// </summary>
public static class DevMailboxEndpoints
{
    /// <summary>
    /// The policy of the message's own HTML, shown in a sandboxed frame of the mailbox page: its inline styles and
    /// remote images are allowed, scripts, forms, plugins and being framed by anyone else are not.
    /// </summary>
    public const string MessageHtmlPolicy =
        "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; font-src 'none'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

    public static IEndpointRouteBuilder MapDevMailbox(this IEndpointRouteBuilder app)
    {
        app.MapGet(DevMailboxAccess.EnterPath, async (string? token, HttpContext context, DevMailboxAccess access) =>
        {
            if (!access.IsValidToken(token))
            {
                return DevMailboxPages.Refused(StatusCodes.Status403Forbidden,
                    "This mailbox link is not valid. A new one is printed every time Portal starts; use the latest.");
            }
            await access.SignInAsync(context);
            context.Response.Headers.CacheControl = "no-store";
            return (IResult)new SeeOther(DevMailboxAccess.BasePath);
        });

        var mailbox = app.MapGroup(DevMailboxAccess.BasePath);
        mailbox.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            context.Response.Headers.CacheControl = "no-store";
            return await DevMailboxAccess.IsStaffAsync(context)
                ? await next(invocation)
                : DevMailboxPages.Refused(StatusCodes.Status401Unauthorized,
                    "The dev mailbox is for staff. Open the “Dev mailbox” link printed when Portal started, or send the staff API key as 'Authorization: Bearer <key>'.");
        });

        mailbox.MapGet("", async (DevMailbox messages, CancellationToken cancellationToken) =>
            DevMailboxPages.List(messages.Directory, await messages.ListAsync(cancellationToken)));

        mailbox.MapGet("/{id}", async (string id, DevMailbox messages, CancellationToken cancellationToken) =>
        {
            var found = await messages.FindAsync(id, cancellationToken);
            if (found is not { } message)
            {
                return DevMailboxPages.Refused(StatusCodes.Status404NotFound, "There is no such message in the mailbox.");
            }
            return DevMailboxPages.Message(message.Entry, message.Message, MailboxLinks.Find(message.Message.HtmlBody, message.Message.TextBody));
        });

        mailbox.MapGet("/{id}/html", async (string id, HttpContext context, DevMailbox messages, CancellationToken cancellationToken) =>
        {
            var found = await messages.FindAsync(id, cancellationToken);
            if (found is not { } message)
            {
                return Results.NotFound();
            }
            // Set before the response starts, so the site-wide headers leave them as they are.
            context.Response.Headers.ContentSecurityPolicy = MessageHtmlPolicy;
            context.Response.Headers.XFrameOptions = "SAMEORIGIN";
            var html = message.Message.HtmlBody
                ?? $"<pre>{System.Net.WebUtility.HtmlEncode(message.Message.TextBody ?? "")}</pre>";
            return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
        });

        mailbox.MapGet("/{id}/raw", async (string id, DevMailbox messages, CancellationToken cancellationToken) =>
        {
            var found = await messages.FindAsync(id, cancellationToken);
            if (found is not { } message)
            {
                return Results.NotFound();
            }
            var buffer = new MemoryStream();
            await message.Message.WriteToAsync(FormatOptions.Default, buffer, cancellationToken);
            return Results.File(buffer.ToArray(), "message/rfc822", $"{id}.eml");
        });

        return app;
    }

    /// <summary>303 See Other: the browser follows with a GET, and the token is gone from the address bar.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
