using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Portal.Domain;

/// <summary>A label and value shown as a small table in HTML and as "Label: value" in plain text.</summary>
public sealed record EmailDetail(string Label, string Value);

/// <summary>A call to action: the button, and the same address printed below it to copy and paste.</summary>
public sealed record EmailButton(string Label, string Url);

/// <summary>
/// The one layout every message uses, as HTML (inline styles and tables, what mail clients render) and as plain
/// text: logo or wordmark, greeting, paragraphs, details, the button with its plain URL, and the company footer.
/// Every piece of text is HTML-encoded; URLs must be absolute http(s).
/// </summary>
public static class EmailLayout
{
    public const string CopyHint = "If the button does not work, copy and paste this address into your browser:";

    // Encodes what HTML needs encoded and leaves letters and symbols ("£", "é") readable in the source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private const string FontStack = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

    public static (string Html, string Text) Render(
        MailBranding branding, string subject, string greeting, IReadOnlyList<string> paragraphs,
        IReadOnlyList<EmailDetail> details, EmailButton? button)
    {
        ArgumentNullException.ThrowIfNull(branding);
        if (button is not null)
        {
            RequireWebUrl(button.Url);
        }
        return (Html(branding, subject, greeting, paragraphs, details, button), Text(branding, greeting, paragraphs, details, button));
    }

    /// <summary>Refuses anything but an absolute http(s) URL (no <c>javascript:</c> in a button).</summary>
    public static string RequireWebUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !MailBranding.IsWeb(uri))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationMailLink, "A link in an email must be an absolute http(s) address.");
        }
        return uri.AbsoluteUri;
    }

    public static IReadOnlyList<string> FooterLines(MailBranding branding)
    {
        var lines = new List<string> { branding.CompanyName };
        var contact = new[] { branding.Address, branding.Phone, branding.Email }.Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        if (contact.Count > 0)
        {
            lines.Add(string.Join(" · ", contact));
        }
        if (branding.Accreditations.Count > 0)
        {
            lines.Add(string.Join(" · ", branding.Accreditations));
        }
        var registration = new List<string>();
        if (!string.IsNullOrWhiteSpace(branding.VatNumber))
        {
            registration.Add($"VAT number: {branding.VatNumber}");
        }
        if (!string.IsNullOrWhiteSpace(branding.CompanyRegistrationNumber))
        {
            registration.Add($"Company registration number: {branding.CompanyRegistrationNumber}");
        }
        if (registration.Count > 0)
        {
            lines.Add(string.Join(" · ", registration));
        }
        return lines;
    }

    private static string Html(
        MailBranding branding, string subject, string greeting, IReadOnlyList<string> paragraphs,
        IReadOnlyList<EmailDetail> details, EmailButton? button)
    {
        static string E(string? text) => Encoder.Encode(text ?? "");
        var colour = E(branding.ButtonColour);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(E(subject)).Append("</title>\n</head>\n");
        html.Append("<body style=\"margin:0;padding:0;background:#f3f4f6;color:#111827;font-family:").Append(FontStack).Append(";\">\n");
        html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f3f4f6;\"><tr><td align=\"center\" style=\"padding:24px 12px;\">\n");
        html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:560px;background:#ffffff;border-radius:8px;\">\n");

        html.Append("<tr><td class=\"brand\" style=\"padding:24px 32px 8px;\">");
        if (branding.LogoUrl is { } logo)
        {
            html.Append("<img src=\"").Append(E(logo)).Append("\" alt=\"").Append(E(branding.CompanyName))
                .Append("\" height=\"48\" style=\"display:block;height:48px;width:auto;max-width:240px;border:0;\">");
        }
        else
        {
            html.Append("<span style=\"font-size:20px;font-weight:700;color:").Append(colour).Append(";\">").Append(E(branding.CompanyName)).Append("</span>");
        }
        html.Append("</td></tr>\n");

        html.Append("<tr><td style=\"padding:8px 32px 8px;font-size:16px;line-height:1.5;\">\n");
        html.Append("<p style=\"margin:0 0 16px;\">").Append(E(greeting)).Append("</p>\n");
        foreach (var paragraph in paragraphs)
        {
            html.Append("<p style=\"margin:0 0 16px;\">").Append(E(paragraph)).Append("</p>\n");
        }
        if (details.Count > 0)
        {
            html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" style=\"margin:0 0 16px;font-size:15px;\">\n");
            foreach (var detail in details)
            {
                html.Append("<tr><td style=\"padding:2px 16px 2px 0;color:#4b5563;\">").Append(E(detail.Label))
                    .Append("</td><td style=\"padding:2px 0;font-weight:600;\">").Append(E(detail.Value)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        if (button is not null)
        {
            var url = E(button.Url);
            html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" style=\"margin:24px 0;\"><tr>");
            html.Append("<td style=\"border-radius:6px;background:").Append(colour).Append(";\">");
            html.Append("<a class=\"button\" href=\"").Append(url).Append("\" target=\"_blank\" rel=\"noopener\" style=\"display:inline-block;padding:12px 24px;font-size:16px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;\">")
                .Append(E(button.Label)).Append("</a>");
            html.Append("</td></tr></table>\n");
            html.Append("<p style=\"margin:0 0 16px;font-size:14px;color:#4b5563;\">").Append(E(CopyHint)).Append("<br>\n");
            html.Append("<a class=\"plain-url\" href=\"").Append(url).Append("\" target=\"_blank\" rel=\"noopener\" style=\"color:").Append(colour)
                .Append(";word-break:break-all;\">").Append(url).Append("</a></p>\n");
        }
        html.Append("</td></tr>\n");

        html.Append("<tr><td class=\"footer\" style=\"padding:16px 32px 24px;border-top:1px solid #e5e7eb;font-size:12px;line-height:1.6;color:#6b7280;\">\n");
        var footer = FooterLines(branding);
        for (var i = 0; i < footer.Count; i++)
        {
            html.Append(i == 0 ? "<strong>" : "").Append(E(footer[i])).Append(i == 0 ? "</strong>" : "").Append(i < footer.Count - 1 ? "<br>\n" : "\n");
        }
        html.Append("</td></tr>\n</table>\n</td></tr></table>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Text(
        MailBranding branding, string greeting, IReadOnlyList<string> paragraphs, IReadOnlyList<EmailDetail> details, EmailButton? button)
    {
        var text = new StringBuilder();
        text.Append(greeting).Append("\n\n");
        foreach (var paragraph in paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
        }
        if (details.Count > 0)
        {
            foreach (var detail in details)
            {
                text.Append(detail.Label).Append(": ").Append(detail.Value).Append('\n');
            }
            text.Append('\n');
        }
        if (button is not null)
        {
            text.Append(button.Label).Append(":\n").Append(button.Url).Append("\n\n");
        }
        text.Append("-- \n");
        foreach (var line in FooterLines(branding))
        {
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }
}
