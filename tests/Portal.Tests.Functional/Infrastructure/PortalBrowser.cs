using System.Net;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>A client's browser over plain HTTP: a cookie jar, no automatic redirects, so each hop can be checked.</summary>
public sealed class PortalBrowser : IDisposable
{
    public PortalBrowser(PortalTestHost host)
    {
        Cookies = new CookieContainer();
        Http = host.CreateClient(followRedirects: false, cookies: Cookies);
    }

    public CookieContainer Cookies { get; }
    public HttpClient Http { get; }

    /// <summary>Opens a portal URL and follows its 303 to the target; returns the landing path.</summary>
    public async Task<string> EnterAsync(string portalUrl)
    {
        using var entry = await Http.GetAsync(new Uri(portalUrl).PathAndQuery);
        Assert.Equal(HttpStatusCode.SeeOther, entry.StatusCode);
        return entry.Headers.Location!.OriginalString;
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => Http.Dispose();
}
