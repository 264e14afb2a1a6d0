using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.LoadGen;

/// <summary>
/// Stripe webhook deliveries for the `webhooks` transition: a `payment_intent.succeeded` for a small card payment
/// on the project's invoice, signed as Stripe signs (<c>t=…,v1=HMAC-SHA256("{t}.{payload}")</c> with the endpoint
/// secret). Each delivery is a new event and a new payment intent, so each one is applied.
/// </summary>
public static class StripeEvents
{
    public static string PaymentSucceeded(Guid invoiceId, Guid projectId, long amountMinor, string currency)
    {
        var metadata = new JsonObject { ["invoice_id"] = invoiceId.ToString(), ["project_id"] = projectId.ToString() };
        var intent = new JsonObject
        {
            ["id"] = $"pi_load_{Guid.NewGuid():N}",
            ["object"] = "payment_intent",
            ["amount"] = amountMinor,
            ["amount_received"] = amountMinor,
            ["currency"] = currency,
            ["metadata"] = metadata,
            ["status"] = "succeeded",
        };
        return new JsonObject
        {
            ["id"] = $"evt_load_{Guid.NewGuid():N}",
            ["object"] = "event",
            ["api_version"] = "2025-03-31.basil",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["type"] = "payment_intent.succeeded",
            ["data"] = new JsonObject { ["object"] = intent },
        }.ToJsonString();
    }

    public static string Signature(string payload, string secret)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    public static async Task<HttpStatusCode> DeliverAsync(HttpClient http, string payload, string secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", Signature(payload, secret));
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }
}
