using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Payments;

namespace Portal.Tests.Functional;

/// <summary>When the invoice cannot store the event, the webhook must not say 2xx: Stripe retries only on failure.</summary>
public sealed class StripeWebhookFailureTests
{
    [Fact]
    public async Task An_event_the_invoice_could_not_store_answers_503_so_stripe_retries()
    {
        var invoiceId = Guid.NewGuid();
        var payload = StripeWebhooks.Event("payment_intent.succeeded", StripeWebhooks.PaymentIntent("pi_test_1", 1000, "gbp", StripeWebhooks.Metadata(invoiceId)));
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(payload));
        http.Request.Headers["Stripe-Signature"] = StripeWebhooks.SignatureHeader(payload);
        var options = Options.Create(new PortalOptions { Stripe = { WebhookSecret = StripeWebhooks.WebhookSecret } });
        var grains = GrainFactoryWithFailingInvoice.Create(out var invoice);

        var result = await StripeWebhook.HandleAsync(http, options, grains, NullLoggerFactory.Instance, CancellationToken.None);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Equal(1, invoice.ApplyCalls);
    }

    /// <summary>An <see cref="IGrainFactory"/> whose invoices exist but fail to store anything.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1852", Justification = "DispatchProxy.Create needs an unsealed proxy type.")]
    private class GrainFactoryWithFailingInvoice : DispatchProxy
    {
        public FailingInvoice Invoice { get; private set; } = null!;

        public static IGrainFactory Create(out FailingInvoice invoice)
        {
            var factory = DispatchProxy.Create<IGrainFactory, GrainFactoryWithFailingInvoice>();
            invoice = (FailingInvoice)(object)DispatchProxy.Create<IInvoiceGrain, FailingInvoice>();
            ((GrainFactoryWithFailingInvoice)(object)factory).Invoice = invoice;
            return factory;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true } && targetMethod.GetGenericArguments()[0] == typeof(IInvoiceGrain)
                ? Invoice
                : throw new NotSupportedException(targetMethod?.Name);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1852", Justification = "DispatchProxy.Create needs an unsealed proxy type.")]
    private class FailingInvoice : DispatchProxy
    {
        public int ApplyCalls { get; private set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            switch (targetMethod?.Name)
            {
                case nameof(IInvoiceGrain.Exists):
                    return Task.FromResult(true);
                case nameof(IInvoiceGrain.ApplyCardEvent):
                    ApplyCalls++;
                    return Task.FromException<CardEventResult>(new InvalidOperationException("storage is down"));
                default:
                    throw new NotSupportedException(targetMethod?.Name);
            }
        }
    }
}
