using System.Security.Claims;
using Portal.Web.Auth;
using Portal.Web.Mail;

namespace Portal.Web.Api;

public static class InvoiceEndpoints
{
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

        api.MapPost("/invoices/{id:guid}/payments", async (Guid id, RecordPaymentRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var check = new RequestValidation();
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
            // A caller that retries with the same paymentId records the payment once.
            var paymentId = request.PaymentId ?? Guid.NewGuid();
            var invoice = await grains.GetGrain<IInvoiceGrain>(id).RecordManualPayment(
                new RecordManualPayment(paymentId, amount, method, reference, request.ReceivedOn, user.ToActor()));
            return TypedResults.Created($"/api/invoices/{id}",
                new PaymentRecordedResponse(paymentId, StaffApi.Wire(invoice.Status), invoice.AmountPaid, invoice.Balance));
        }).Produces<PaymentRecordedResponse>(StatusCodes.Status201Created);
    }
}
