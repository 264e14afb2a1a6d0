using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>
/// The part of Stripe the portal talks to, on loopback: <c>POST /v1/checkout/sessions</c>,
/// <c>GET /v1/checkout/sessions/{id}</c> and <c>POST /v1/checkout/sessions/{id}/expire</c> (honouring idempotency
/// keys and <c>expires_at</c>, recording every create and expire request), and a tiny hosted checkout page whose "Pay"
/// button makes the fake sign and deliver <c>checkout.session.completed</c> and <c>payment_intent.succeeded</c> to the
/// portal's webhook before sending the browser back to success_url. An expired session cannot be paid.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake_0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _sessions = new();
    private readonly ConcurrentDictionary<string, string> _sessionByIdempotencyKey = new();
    private readonly ConcurrentQueue<CreateRequest> _creates = new();
    private readonly ConcurrentQueue<string> _expires = new();
    private readonly HttpClient _webhookClient = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Lock _createLock = new();

    /// <summary>One recorded <c>POST /v1/checkout/sessions</c>: its headers and form fields as sent.</summary>
    public sealed record CreateRequest(string? IdempotencyKey, string? Authorization, IReadOnlyDictionary<string, string> Form);

    private FakeStripe(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Where the fake listens (the port Kestrel picked), known once started.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The value for <c>Portal:Stripe:ApiBase</c>.</summary>
    public string ApiBase => BaseUri.ToString().TrimEnd('/');

    /// <summary>Where the "Pay" button delivers its webhooks; set once the portal is listening.</summary>
    public Uri? WebhookUrl { get; set; }

    public string WebhookSecret { get; set; } = StripeWebhooks.WebhookSecret;

    public IReadOnlyList<CreateRequest> Creates => [.. _creates];

    /// <summary>The session ids of every <c>POST /v1/checkout/sessions/{id}/expire</c>, in order (refused ones too).</summary>
    public IReadOnlyList<string> Expires => [.. _expires];

    /// <summary>When set, the expire endpoint answers 500 (Stripe having a bad day) and expires nothing.</summary>
    public bool FailExpires { get; set; }

    /// <summary>When set, "Pay" keeps its webhooks until <see cref="ReleaseWebhooksAsync"/> (Stripe is sometimes slow).</summary>
    public bool HoldWebhooks { get; set; }

    private readonly ConcurrentQueue<string> _held = new();

    public async Task ReleaseWebhooksAsync()
    {
        while (_held.TryDequeue(out var payload))
        {
            await SendAsync(payload);
        }
    }

    /// <summary>Status codes the portal answered to the webhooks the fake delivered.</summary>
    public ConcurrentQueue<HttpStatusCode> WebhookAnswers { get; } = new();

    public JsonObject? Session(string id) => _sessions.TryGetValue(id, out var session) ? session : null;

    /// <summary>Every session created for the invoice (its <c>client_reference_id</c>).</summary>
    public IReadOnlyList<JsonObject> SessionsFor(Guid invoiceId) =>
        [.. _sessions.Values.Where(s => s["client_reference_id"]?.GetValue<string>() == invoiceId.ToString())];

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls=http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeStripe(app);
        app.MapPost("/v1/checkout/sessions", (Func<HttpContext, Task<IResult>>)fake.CreateSessionAsync);
        app.MapGet("/v1/checkout/sessions/{id}", (string id) => fake.Session(id) is { } s ? Json(s) : StripeError(404, "resource_missing", $"No such checkout.session: '{id}'"));
        app.MapPost("/v1/checkout/sessions/{id}/expire", (Func<HttpContext, string, IResult>)fake.Expire);
        app.MapGet("/checkout/{id}", fake.CheckoutPage);
        app.MapPost("/checkout/{id}/pay", fake.PayAsync);
        await app.StartAsync();
        fake.BaseUri = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return fake;
    }

    private async Task<IResult> CreateSessionAsync(HttpContext http)
    {
        var form = (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        _creates.Enqueue(new CreateRequest(key.Length == 0 ? null : key, http.Request.Headers.Authorization.ToString(), form));
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            return StripeError(401, "api_key_invalid", "Invalid API Key provided.");
        }

        lock (_createLock)
        {
            // Stripe answers a repeated idempotency key with the first result.
            if (key.Length > 0 && _sessionByIdempotencyKey.TryGetValue(key, out var existing))
            {
                return Json(_sessions[existing]);
            }
            var id = StripeWebhooks.NewId("cs");
            var metadata = new JsonObject();
            foreach (var (name, value) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal)))
            {
                metadata[name["metadata[".Length..^1]] = value;
            }
            var session = new JsonObject
            {
                ["id"] = id,
                ["object"] = "checkout.session",
                ["amount_total"] = long.Parse(form.GetValueOrDefault("line_items[0][price_data][unit_amount]", "0"), System.Globalization.CultureInfo.InvariantCulture) * long.Parse(form.GetValueOrDefault("line_items[0][quantity]", "1"), System.Globalization.CultureInfo.InvariantCulture),
                ["currency"] = form.GetValueOrDefault("line_items[0][price_data][currency]"),
                ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
                ["customer_email"] = form.GetValueOrDefault("customer_email"),
                ["metadata"] = metadata,
                ["mode"] = form.GetValueOrDefault("mode"),
                ["payment_intent"] = null,
                ["payment_status"] = "unpaid",
                ["status"] = "open",
                ["success_url"] = form.GetValueOrDefault("success_url"),
                ["cancel_url"] = form.GetValueOrDefault("cancel_url"),
                ["url"] = new Uri(BaseUri, $"checkout/{id}").ToString(),
                ["expires_at"] = form.TryGetValue("expires_at", out var expiresAt)
                    ? long.Parse(expiresAt, System.Globalization.CultureInfo.InvariantCulture)
                    : DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds(),
            };
            // What Checkout copies onto the payment intent it creates.
            var intentMetadata = new JsonObject();
            foreach (var (name, value) in form.Where(f => f.Key.StartsWith("payment_intent_data[metadata][", StringComparison.Ordinal)))
            {
                intentMetadata[name["payment_intent_data[metadata][".Length..^1]] = value;
            }
            _intentMetadata[id] = intentMetadata;
            _sessions[id] = session;
            if (key.Length > 0)
            {
                _sessionByIdempotencyKey[key] = id;
            }
            return Json(session);
        }
    }

    private readonly ConcurrentDictionary<string, JsonObject> _intentMetadata = new();

    /// <summary>The metadata the payment intent of this session carries (from <c>payment_intent_data[metadata]</c>).</summary>
    public JsonObject IntentMetadata(string sessionId) => (JsonObject)_intentMetadata[sessionId].DeepClone();

    private IResult Expire(HttpContext http, string id)
    {
        _expires.Enqueue(id);
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            return StripeError(401, "api_key_invalid", "Invalid API Key provided.");
        }
        if (FailExpires)
        {
            return StripeError(500, "api_error", "Something went wrong on Stripe's end.");
        }
        if (Session(id) is not { } session)
        {
            return StripeError(404, "resource_missing", $"No such checkout.session: '{id}'");
        }
        lock (_createLock)
        {
            if (session["status"]?.GetValue<string>() != "open")
            {
                return StripeError(400, "checkout_session_not_expirable", "Only Checkout Sessions with a status in [\"open\"] can be expired.");
            }
            session["status"] = "expired";
            return Json(session);
        }
    }

    private IResult CheckoutPage(string id)
    {
        if (Session(id) is not { } session)
        {
            return Results.NotFound();
        }
        var amount = session["amount_total"]!.GetValue<long>() / 100m;
        var currency = session["currency"]!.GetValue<string>().ToUpperInvariant();
        var cancel = WebUtility.HtmlEncode(session["cancel_url"]?.GetValue<string>() ?? "/");
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Fake Stripe Checkout</title></head>
            <body>
              <h1>Fake Stripe Checkout</h1>
              <p id="amount">{{currency}} {{amount:0.00}}</p>
              <form method="post" action="/checkout/{{id}}/pay"><button type="submit">Pay</button></form>
              <p><a href="{{cancel}}">Cancel</a></p>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private async Task<IResult> PayAsync(string id)
    {
        if (Session(id) is not { } session)
        {
            return Results.NotFound();
        }
        if (session["status"]?.GetValue<string>() != "open")
        {
            return Results.Content("This checkout session is no longer available.", "text/plain", statusCode: StatusCodes.Status410Gone);
        }
        var intentId = session["payment_intent"]?.GetValue<string>() ?? StripeWebhooks.NewId("pi");
        session["payment_intent"] = intentId;
        session["payment_status"] = "paid";
        session["status"] = "complete";
        var amount = session["amount_total"]!.GetValue<long>();
        var currency = session["currency"]!.GetValue<string>();

        await DeliverAsync(StripeWebhooks.Event("checkout.session.completed", (JsonObject)session.DeepClone()));
        await DeliverAsync(StripeWebhooks.Event("payment_intent.succeeded", StripeWebhooks.PaymentIntent(intentId, amount, currency, IntentMetadata(id))));

        var success = session["success_url"]!.GetValue<string>().Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal);
        return Results.Redirect(success, permanent: false, preserveMethod: false);
    }

    private async Task DeliverAsync(string payload)
    {
        if (HoldWebhooks)
        {
            _held.Enqueue(payload);
            return;
        }
        await SendAsync(payload);
    }

    private async Task SendAsync(string payload)
    {
        if (WebhookUrl is null)
        {
            throw new InvalidOperationException("FakeStripe.WebhookUrl is not set.");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl)
        {
            Content = new StringContent(payload, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeWebhooks.SignatureHeader(payload, WebhookSecret));
        using var response = await _webhookClient.SendAsync(request);
        WebhookAnswers.Enqueue(response.StatusCode);
    }

    private static IResult Json(JsonObject body) => Results.Content(body.ToJsonString(), "application/json");

    private static IResult StripeError(int status, string code, string message) =>
        Results.Content(new JsonObject { ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["code"] = code, ["message"] = message } }.ToJsonString(),
            "application/json", statusCode: status);

    public async ValueTask DisposeAsync()
    {
        _webhookClient.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
