using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Web.Mailbox;

/// <summary>A link found in a received message, with the text it was shown as.</summary>
public sealed record MailboxLink(string Url, string? Label);

/// <summary>Finds the http(s) links of a message (anchors of the HTML part, addresses in the text part).</summary>
public static partial class MailboxLinks
{
    public static IReadOnlyList<MailboxLink> Find(string? html, string? text)
    {
        var links = new List<MailboxLink>();
        void Add(string url, string? label)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return;
            }
            var existing = links.FindIndex(l => l.Url == uri.AbsoluteUri);
            if (existing < 0)
            {
                links.Add(new MailboxLink(uri.AbsoluteUri, label));
            }
            else if (links[existing].Label is null && label is not null)
            {
                links[existing] = links[existing] with { Label = label };
            }
        }

        foreach (Match anchor in Anchor().Matches(html ?? ""))
        {
            var label = WebUtility.HtmlDecode(Tag().Replace(anchor.Groups["text"].Value, "")).Trim();
            Add(WebUtility.HtmlDecode(anchor.Groups["href"].Value), label.Length == 0 ? null : label);
        }
        foreach (Match address in Address().Matches(text ?? ""))
        {
            Add(address.Value.TrimEnd('.', ',', ')', '>'), null);
        }
        return links;
    }

    [GeneratedRegex("<a\\b[^>]*\\bhref\\s*=\\s*\"(?<href>[^\"]*)\"[^>]*>(?<text>.*?)</a>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Anchor();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("https?://[^\\s<>\"]+", RegexOptions.IgnoreCase)]
    private static partial Regex Address();
}
