using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Portal.Domain;
using Portal.Web.Auth;
using Portal.Web.Mail;

namespace Portal.Web.Api;

public static class InvoiceEndpoints
{
    /// <summary>The header a client sends so that a retried manual payment without <c>paymentId</c> is recorded once.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public const int MaxIdempotencyKeyLength = 255;

    public static void MapInvoiceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/invoices/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.OwnedInvoice(user, id)));

        api.MapPost("/invoices/{id:guid}/send", async (Guid id, ClaimsPrincipal user, IGrainFactory grains, DocumentMailer mailer) =>
        {
            var invoice = await grains.OwnedInvoice(user, id);
            var sent = await mailer.SendInvoiceAsync(invoice);
            return TypedResults.Ok(MailedResponse.Of(sent));
        });

        api.MapPost("/invoices/{id:guid}/void", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.OwnedInvoice(user, id);
            var invoice = await grains.GetGrain<IInvoiceGrain>(id).Void();
            return TypedResults.Ok(new StatusResponse(StaffApi.Wire(invoice.Status)));
        });

        api.MapPost("/invoices/{id:guid}/payments", async (Guid id, RecordPaymentRequest request, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, HttpRequest http, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var check = new RequestValidation();
            // A header sent empty is a mistake to answer, not the same as no header.
            idempotencyKey ??= http.Headers.ContainsKey(IdempotencyKeyHeader) ? string.Empty : null;
            if (idempotencyKey is not null && (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > MaxIdempotencyKeyLength || idempotencyKey.Any(char.IsControl)))
            {
                check.Add(IdempotencyKeyHeader, $"'{IdempotencyKeyHeader}' must be 1 to {MaxIdempotencyKeyLength} characters without control characters.");
            }
            var amount = check.RequireAmount("amount", request.Amount);
            var method = check.Require("method", request.Method);
            if (request.Method is PaymentMethod.Card)
            {
                check.Add("method", "Card payments come from Stripe; record \"bank_transfer\", \"cash\" or \"other\".");
            }
            var reference = check.OptionalText("reference", request.Reference, 140);
            if (!check.IsValid)
            {
                return check.Problem();
            }

            await grains.OwnedInvoice(user, id);
            // A caller that retries with the same paymentId, or the same Idempotency-Key, records the payment once.
            var paymentId = request.PaymentId
                ?? (idempotencyKey is null ? Guid.NewGuid() : DerivedIds.For(id, "payment-key:" + idempotencyKey));
            var invoice = await grains.GetGrain<IInvoiceGrain>(id).RecordManualPayment(
                new RecordManualPayment(paymentId, amount, method, reference, request.ReceivedOn, user.ToActor()));
            return TypedResults.Created($"/api/invoices/{id}",
                new PaymentRecordedResponse(paymentId, StaffApi.Wire(invoice.Status), invoice.AmountPaid, invoice.Balance));
        }).Produces<PaymentRecordedResponse>(StatusCodes.Status201Created);
    }
}
