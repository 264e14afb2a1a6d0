using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>
/// Stripe webhook payloads as Stripe sends them, signed the way Stripe documents: <c>t=&lt;unix time&gt;,v1=&lt;hex
/// HMAC-SHA256 of "{t}.{payload}" keyed with the endpoint secret&gt;</c>. Written here, not taken from Stripe.net,
/// so the tests check the portal against the documented scheme rather than against the library it uses.
/// </summary>
public static class StripeWebhooks
{
    public const string WebhookSecret = "whsec_test_portal_0123456789abcdef";
    public const string ApiVersion = "2025-03-31.basil";

    public static string SignatureHeader(string payload, string secret = WebhookSecret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var signature = Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{timestamp}.{payload}")));
        return $"t={timestamp},v1={signature}";
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string payload, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }
        return await http.SendAsync(request);
    }

    /// <summary>Signs and delivers; returns the status code.</summary>
    public static async Task<System.Net.HttpStatusCode> DeliverAsync(HttpClient http, string payload)
    {
        using var response = await PostAsync(http, payload, SignatureHeader(payload));
        return response.StatusCode;
    }

    public static JsonObject Metadata(Guid invoiceId, Guid? projectId = null, Guid? companyId = null)
    {
        var metadata = new JsonObject { ["invoice_id"] = invoiceId.ToString() };
        if (projectId is { } project)
        {
            metadata["project_id"] = project.ToString();
        }
        if (companyId is { } company)
        {
            metadata["company_id"] = company.ToString();
        }
        return metadata;
    }

    public static string Event(string type, JsonObject data, string? eventId = null) => new JsonObject
    {
        ["id"] = eventId ?? NewId("evt"),
        ["object"] = "event",
        ["api_version"] = ApiVersion,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["type"] = type,
        ["data"] = new JsonObject { ["object"] = data },
    }.ToJsonString();

    public static JsonObject Session(string sessionId, string? paymentIntentId, long amountTotal, string currency, JsonObject metadata, string paymentStatus = "paid", string status = "complete") => new()
    {
        ["id"] = sessionId,
        ["object"] = "checkout.session",
        ["amount_total"] = amountTotal,
        ["currency"] = currency,
        ["client_reference_id"] = metadata["invoice_id"]?.GetValue<string>(),
        ["metadata"] = metadata.DeepClone(),
        ["mode"] = "payment",
        ["payment_intent"] = paymentIntentId,
        ["payment_status"] = paymentStatus,
        ["status"] = status,
    };

    public static JsonObject PaymentIntent(string id, long amount, string currency, JsonObject metadata, string status = "succeeded", string? failure = null) => new()
    {
        ["id"] = id,
        ["object"] = "payment_intent",
        ["amount"] = amount,
        ["amount_received"] = status == "succeeded" ? amount : 0,
        ["currency"] = currency,
        ["metadata"] = metadata.DeepClone(),
        ["status"] = status,
        ["last_payment_error"] = failure is null ? null : new JsonObject { ["message"] = failure, ["type"] = "card_error" },
    };

    public static JsonObject Charge(string paymentIntentId, long amount, long amountRefunded, string currency, JsonObject metadata) => new()
    {
        ["id"] = NewId("ch"),
        ["object"] = "charge",
        ["amount"] = amount,
        ["amount_captured"] = amount,
        ["amount_refunded"] = amountRefunded,
        ["currency"] = currency,
        ["metadata"] = metadata.DeepClone(),
        ["paid"] = true,
        ["payment_intent"] = paymentIntentId,
        ["refunded"] = amountRefunded >= amount,
        ["status"] = "succeeded",
    };

    public static string NewId(string prefix) => $"{prefix}_test_{Guid.NewGuid():N}";
}
