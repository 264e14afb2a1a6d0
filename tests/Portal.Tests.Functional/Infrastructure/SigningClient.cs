using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>Posts the "Sign to accept" form the way the page does: multipart form data with the page's antiforgery token.</summary>
public static partial class SigningClient
{
    /// <summary>The antiforgery token of a portal page's forms.</summary>
    public static async Task<string> TokenFromAsync(this PortalBrowser browser, string path)
    {
        var (status, body) = await browser.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var token = TokenPattern().Match(body).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), $"no antiforgery token on {path}");
        return token;
    }

    /// <summary>
    /// A typed signature. <paramref name="termsVersion"/> is the terms version the page shows (the one the quote was
    /// sent with; 0 when it has none); null leaves the field out, as a form from before the field existed would.
    /// </summary>
    public static Dictionary<string, string> Typed(string token, string name = "Jane Smith", int version = 1, int? termsVersion = 1) => WithTerms(new()
    {
        ["__RequestVerificationToken"] = token,
        ["documentVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["method"] = "typed",
        ["typedName"] = name,
        ["consent"] = "yes",
    }, termsVersion);

    public static Dictionary<string, string> Drawn(string token, string dataUrl, int version = 1, int? termsVersion = 1) => WithTerms(new()
    {
        ["__RequestVerificationToken"] = token,
        ["documentVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["method"] = "drawn",
        ["signature"] = dataUrl,
        ["consent"] = "yes",
    }, termsVersion);

    private static Dictionary<string, string> WithTerms(Dictionary<string, string> fields, int? termsVersion)
    {
        if (termsVersion is { } terms)
        {
            fields["termsVersion"] = terms.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return fields;
    }

    /// <summary>POST /portal/proposals/{id}/accept; <paramref name="json"/> asks for the script's JSON answers.</summary>
    public static async Task<HttpResponseMessage> AcceptAsync(this PortalBrowser browser, Guid proposalId, IDictionary<string, string> fields, bool json = true, Action<HttpRequestMessage>? adjust = null)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        var request = new HttpRequestMessage(HttpMethod.Post, $"/portal/proposals/{proposalId}/accept") { Content = form };
        if (json)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }
        adjust?.Invoke(request);
        return await browser.Http.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
