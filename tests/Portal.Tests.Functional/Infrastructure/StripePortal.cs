using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>A portal with card payments on, talking to a <see cref="FakeStripe"/>, for a company that takes both methods.</summary>
public sealed partial class StripePortal : IAsyncLifetime
{
    public const string AccountName = "BWR Client Account";
    public const string SortCode = "20-00-00";
    public const string AccountNumber = "55779911";
    public const string Iban = "GB33BUKB20000055779911";
    public const string Bic = "BUKBGB22";

    private FakeStripe? _stripe;
    private PortalTestHost? _host;

    public FakeStripe Stripe => _stripe ?? throw new InvalidOperationException("Not started.");
    public PortalTestHost Host => _host ?? throw new InvalidOperationException("Not started.");
    public HttpClient Api => Host.Api;
    public Guid CompanyId { get; private set; }

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _host = await PortalTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Portal:Stripe:SecretKey"] = FakeStripe.SecretKey,
            ["Portal:Stripe:WebhookSecret"] = StripeWebhooks.WebhookSecret,
            ["Portal:Stripe:ApiBase"] = _stripe.ApiBase,
        });
        _stripe.WebhookUrl = new Uri(_host.BaseUri, "/webhooks/stripe");
        await ConfigureCompanyAsync(Api, card: true);
        CompanyId = (await Api.GetOkAsync("/api/company")).Id();
    }

    public static async Task ConfigureCompanyAsync(HttpClient api, bool card)
    {
        using var response = await api.PutAsJsonAsync("/api/company", new
        {
            name = "Brightwater Renovations Ltd",
            vatNumber = "GB 123 4567 89",
            brandColour = "#0f766e",
            bankDetails = new { accountName = AccountName, sortCode = SortCode, accountNumber = AccountNumber, iban = Iban, bic = Bic },
            paymentMethods = new { bankTransfer = true, card },
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A sent invoice (total £1,200.00 by default) whose client has opened it from the emailed link.</summary>
    public Task<PayingClient> InvoiceOpenedByClientAsync(decimal unitPrice = 1000m) => OpenInvoiceAsync(Host, unitPrice);

    public static async Task<PayingClient> OpenInvoiceAsync(PortalTestHost host, decimal unitPrice = 1000m)
    {
        var api = host.Api;
        var clientId = await api.CreateClientAsync("Jane Smith");
        var (projectId, projectNumber) = await api.CreateProjectAsync(clientId);
        var (invoiceId, number) = await api.CreateInvoiceAsync(projectId, unitPrice);
        var url = (await api.SendAsync("invoices", invoiceId)).Str("portalUrl");
        var browser = new PortalBrowser(host);
        await browser.EnterAsync(url);
        var page = await browser.GetAsync($"/portal/invoices/{invoiceId}");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.Status);
        return new PayingClient(clientId, projectId, projectNumber, invoiceId, number, url, browser, page.Body);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (_stripe is not null)
        {
            await _stripe.DisposeAsync();
        }
    }

    public static string AntiforgeryToken(string html) =>
        TokenPattern().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page.");

    public static string AttemptId(string html) =>
        AttemptPattern().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("No payment attempt on the page.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"attempt\" value=\"([^\"]+)\"")]
    private static partial Regex AttemptPattern();
}

/// <summary>A client with a session, looking at an invoice of theirs.</summary>
public sealed record PayingClient(
    Guid ClientId, Guid ProjectId, int ProjectNumber, Guid InvoiceId, string Number, string PortalUrl, PortalBrowser Browser, string PageHtml) : IDisposable
{
    /// <summary>
    /// Posts a payment action of the invoice page (<c>card-checkout</c>, <c>bank-transfer</c>) the way its script does:
    /// with the antiforgery token of <paramref name="pageHtml"/> (default: the page as first opened) and, when
    /// <paramref name="json"/>, asking for JSON.
    /// </summary>
    public async Task<HttpResponseMessage> PostActionAsync(string action, Dictionary<string, string>? form = null, bool json = true, string? pageHtml = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/portal/invoices/{InvoiceId}/{action}")
        {
            Content = new FormUrlEncodedContent(form ?? []),
        };
        request.Headers.Add("RequestVerificationToken", StripePortal.AntiforgeryToken(pageHtml ?? PageHtml));
        if (json)
        {
            request.Headers.Accept.ParseAdd("application/json");
        }
        return await Browser.Http.SendAsync(request);
    }

    public void Dispose() => Browser.Dispose();
}
