using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.LoadGen;

/// <summary>The portal's public staff API and link entry, as the load generator uses them.</summary>
public sealed class PortalApi : IDisposable
{
    private readonly HttpClient _http;

    public PortalApi(Uri target, string apiKey)
    {
        Target = target;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = target,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public Uri Target { get; }

    public async Task<JsonNode> PostAsync(string path, object? body, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsJsonAsync(path, body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST {path} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }
        return JsonNode.Parse(text)!;
    }

    /// <summary>Only the status: for round trips that should measure the network and the server, not parsing.</summary>
    public async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Delivers a signed Stripe webhook (no API key needed, but harmless).</summary>
    public Task<HttpStatusCode> DeliverWebhookAsync(string payload, string secret, CancellationToken cancellationToken = default) =>
        StripeEvents.DeliverAsync(_http, payload, secret, cancellationToken);

    /// <summary>A client's portal session: a fresh link, entered without following its redirect, leaves the session cookie.</summary>
    public async Task<CookieContainer> OpenPortalSessionAsync(Guid clientId, CancellationToken cancellationToken = default)
    {
        var link = await PostAsync($"/api/clients/{clientId}/portal-links", null, cancellationToken);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true })
        {
            BaseAddress = Target,
        };
        using var entry = await browser.GetAsync(new Uri(link["url"]!.GetValue<string>()).PathAndQuery, cancellationToken);
        if (entry.StatusCode != HttpStatusCode.SeeOther || cookies.GetCookies(Target).Count == 0)
        {
            throw new HttpRequestException($"Entering a portal link answered {(int)entry.StatusCode} without a session.");
        }
        return cookies;
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void Dispose() => _http.Dispose();
}
