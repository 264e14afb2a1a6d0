using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using MimeKit;
using Portal.Silo.Mail;

namespace Portal.Web.Mailbox;

/// <summary>The dev mailbox's HTML: plain server-rendered pages with the site's policy (no inline script or style).</summary>
public static class DevMailboxPages
{
    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    public static IResult List(string directory, IReadOnlyList<MailboxEntry> entries)
    {
        var body = new StringBuilder();
        body.Append("<header><h1>Dev mailbox</h1><p>What the embedded SMTP server received. The messages are kept in <code>")
            .Append(E(directory)).Append("</code>, so they survive a restart.</p></header>\n<main>\n");
        if (entries.Count == 0)
        {
            body.Append("<p class=\"empty\">No messages have been received yet. Send a quote, an estimate, an invoice or a file through the staff API and it appears here.</p>\n");
        }
        else
        {
            body.Append("<table class=\"messages\"><thead><tr><th scope=\"col\">Received</th><th scope=\"col\">To</th><th scope=\"col\">Subject</th></tr></thead><tbody>\n");
            foreach (var entry in entries)
            {
                body.Append("<tr><td>").Append(E(entry.ReceivedAt.ToString("d MMM yyyy HH:mm:ss 'UTC'", Uk))).Append("</td><td>")
                    .Append(E(entry.To)).Append("</td><td><a href=\"/dev/mailbox/").Append(E(entry.Id)).Append("\">")
                    .Append(E(string.IsNullOrWhiteSpace(entry.Subject) ? "(no subject)" : entry.Subject)).Append("</a></td></tr>\n");
            }
            body.Append("</tbody></table>\n");
        }
        body.Append("</main>\n");
        return Page("Dev mailbox", body.ToString(), StatusCodes.Status200OK);
    }

    public static IResult Message(MailboxEntry entry, MimeMessage message, IReadOnlyList<MailboxLink> links)
    {
        var id = E(entry.Id);
        var body = new StringBuilder();
        body.Append("<nav><a href=\"/dev/mailbox\">All messages</a></nav>\n<main>\n");
        body.Append("<h1>").Append(E(string.IsNullOrWhiteSpace(message.Subject) ? "(no subject)" : message.Subject)).Append("</h1>\n");
        body.Append("<dl class=\"headers\">\n");
        Header(body, "From", message.From.ToString());
        Header(body, "To", message.To.ToString());
        if (message.ReplyTo.Count > 0)
        {
            Header(body, "Reply-To", message.ReplyTo.ToString());
        }
        Header(body, "Date", message.Date.ToString("d MMM yyyy HH:mm:ss zzz", Uk));
        Header(body, "Message-Id", message.MessageId);
        body.Append("</dl>\n");

        body.Append("<section aria-labelledby=\"links-title\"><h2 id=\"links-title\">Links in this message</h2>\n");
        if (links.Count == 0)
        {
            body.Append("<p class=\"empty\">This message has no links.</p>\n");
        }
        else
        {
            body.Append("<ul class=\"links\">\n");
            foreach (var link in links)
            {
                body.Append("<li>");
                if (link.Label is not null && link.Label != link.Url)
                {
                    body.Append("<span class=\"label\">").Append(E(link.Label)).Append("</span> ");
                }
                body.Append("<a href=\"").Append(E(link.Url)).Append("\" rel=\"noreferrer\" target=\"_blank\">").Append(E(link.Url)).Append("</a></li>\n");
            }
            body.Append("</ul>\n");
        }
        body.Append("</section>\n");

        if (message.HtmlBody is not null)
        {
            body.Append("<section aria-labelledby=\"html-title\"><h2 id=\"html-title\">As the client sees it</h2>\n")
                .Append("<iframe class=\"message-html\" title=\"The message as HTML\" sandbox=\"allow-popups allow-popups-to-escape-sandbox\" referrerpolicy=\"no-referrer\" src=\"/dev/mailbox/")
                .Append(id).Append("/html\"></iframe></section>\n");
        }
        if (message.TextBody is not null)
        {
            body.Append("<section aria-labelledby=\"text-title\"><h2 id=\"text-title\">Plain text</h2>\n<pre class=\"message-text\">")
                .Append(E(message.TextBody)).Append("</pre></section>\n");
        }
        body.Append("<p><a href=\"/dev/mailbox/").Append(id).Append("/raw\" download>Download the .eml file</a></p>\n</main>\n");
        return Page(message.Subject ?? "Message", body.ToString(), StatusCodes.Status200OK);
    }

    public static IResult Refused(int status, string message) =>
        Page("Dev mailbox", $"<header><h1>Dev mailbox</h1></header>\n<main><p class=\"refused\">{E(message)}</p></main>\n", status);

    private static void Header(StringBuilder body, string name, string? value) =>
        body.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");

    private static IResult Page(string title, string body, int status)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"robots\" content=\"noindex\">\n")
            .Append("<title>").Append(E(title == "Dev mailbox" ? title : $"{title} · Dev mailbox")).Append("</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"/css/mailbox.css\">\n</head>\n<body class=\"mailbox\">\n")
            .Append(body)
            .Append("</body>\n</html>\n");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");
}
