using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Application;

namespace Portal.Tests.Functional;

/// <summary>
/// A retried request does its work once: a manual payment under the same <c>Idempotency-Key</c> is recorded once and
/// answered the same, and a create the domain refuses takes no number, so the sequences have no gaps.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Category", "Security")]
public sealed class IdempotencyTests(PortalHostFixture fixture)
{
    private HttpClient Api => fixture.Host.Api;

    [Fact]
    public async Task A_payment_retried_with_the_same_idempotency_key_is_recorded_once_and_answered_the_same()
    {
        var invoiceId = await SentInvoiceAsync();
        var key = $"pay-{Guid.NewGuid():N}";

        var (firstStatus, first) = await PayAsync(invoiceId, new { amount = 250m, method = "bank_transfer", reference = "BT 1" }, key);
        var (secondStatus, second) = await PayAsync(invoiceId, new { amount = 250m, method = "bank_transfer", reference = "BT 1" }, key);

        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Equal(HttpStatusCode.Created, secondStatus);
        Assert.Equal(first, second);
        var invoice = await Api.GetOkAsync($"/api/invoices/{invoiceId}");
        var payment = Assert.Single(invoice["payments"]!.AsArray());
        Assert.Equal(JsonNode.Parse(first)!.Str("paymentId"), payment!.Str("id"));
        Assert.Equal(250m, invoice.Dec("amountPaid"));

        // Another key is another payment.
        var (thirdStatus, _) = await PayAsync(invoiceId, new { amount = 250m, method = "bank_transfer", reference = "BT 1" }, key + "-2");
        Assert.Equal(HttpStatusCode.Created, thirdStatus);
        Assert.Equal(500m, (await Api.GetOkAsync($"/api/invoices/{invoiceId}")).Dec("amountPaid"));
    }

    [Fact]
    public async Task An_idempotency_key_reused_for_a_different_payment_is_refused_and_changes_nothing()
    {
        var invoiceId = await SentInvoiceAsync();
        var key = $"pay-{Guid.NewGuid():N}";
        var (status, _) = await PayAsync(invoiceId, new { amount = 100m, method = "cash" }, key);
        Assert.Equal(HttpStatusCode.Created, status);
        var before = (await Api.GetOkAsync($"/api/invoices/{invoiceId}")).ToJsonString();

        foreach (var different in new object[]
        {
            new { amount = 200m, method = "cash" },
            new { amount = 100m, method = "other" },
            new { amount = 100m, method = "cash", reference = "changed" },
        })
        {
            using var request = PaymentRequest(invoiceId, different, key);
            using var response = await Api.SendAsync(request);
            await response.AssertProblemAsync(HttpStatusCode.Conflict, RuleCodes.InvoiceIdempotencyMismatch);
        }

        Assert.Equal(before, (await Api.GetOkAsync($"/api/invoices/{invoiceId}")).ToJsonString());
    }

    [Fact]
    public async Task An_empty_or_overlong_idempotency_key_is_refused_and_records_nothing()
    {
        var invoiceId = await SentInvoiceAsync();
        foreach (var key in new[] { string.Empty, new string('k', 256) })
        {
            using var request = PaymentRequest(invoiceId, new { amount = 100m, method = "cash" }, key);
            using var response = await Api.SendAsync(request);
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, RuleCodes.ValidationFailed);
            Assert.NotNull(problem["errors"]!["Idempotency-Key"]);
        }
        Assert.Empty((await Api.GetOkAsync($"/api/invoices/{invoiceId}"))["payments"]!.AsArray());

        // 255 characters is a key.
        var (status, _) = await PayAsync(invoiceId, new { amount = 100m, method = "cash" }, new string('k', 255));
        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task A_refused_quote_takes_no_number_so_the_next_one_follows_without_a_gap()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (_, first) = await Api.CreateQuoteAsync(projectId);

        // Lines the request checks pass but the domain's caps refuse, and a valid-until date already past.
        using (var tooMany = await Api.PostAsJsonAsync($"/api/projects/{projectId}/proposals", new
        {
            kind = "quote",
            validUntil = Day(30),
            lines = new[] { new { description = "Bricks", quantity = 2_000_000m, unitPrice = 1m, vatRate = 20m } },
        }))
        {
            await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest, RuleCodes.ValidationLines);
        }
        using (var past = await Api.PostAsJsonAsync($"/api/projects/{projectId}/proposals", new { kind = "quote", validUntil = Day(-3), lines = Scenario.TwoLines }))
        {
            await past.AssertProblemAsync(HttpStatusCode.BadRequest, RuleCodes.ValidationValidUntil);
        }

        var (_, second) = await Api.CreateQuoteAsync(projectId);
        Assert.Equal(Sequence(first) + 1, Sequence(second));
    }

    [Fact]
    public async Task A_refused_invoice_takes_no_number_so_the_next_one_follows_without_a_gap()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (_, first) = await Api.CreateInvoiceAsync(projectId);

        using (var tooDear = await Api.PostAsJsonAsync($"/api/projects/{projectId}/invoices", new
        {
            dueDate = Day(14),
            lines = new[] { new { description = "Gold taps", quantity = 1m, unitPrice = 2_000_000_000m, vatRate = 20m } },
        }))
        {
            await tooDear.AssertProblemAsync(HttpStatusCode.BadRequest, RuleCodes.ValidationLines);
        }
        var (completeId, _) = await Api.CreateProjectAsync(clientId);
        await Api.PostOkAsync($"/api/projects/{completeId}/complete", null, HttpStatusCode.OK);
        using (var onComplete = await Api.PostAsJsonAsync($"/api/projects/{completeId}/invoices", new
        {
            dueDate = Day(14),
            lines = new[] { new { description = "Deposit", quantity = 1m, unitPrice = 100m, vatRate = 20m } },
        }))
        {
            await onComplete.AssertProblemAsync(HttpStatusCode.Conflict, RuleCodes.ProjectComplete);
        }

        var (_, second) = await Api.CreateInvoiceAsync(projectId);
        Assert.Equal(Sequence(first) + 1, Sequence(second));
    }

    [Fact]
    public async Task A_refused_project_takes_no_number_so_the_next_one_follows_without_a_gap()
    {
        var clientId = await Api.CreateClientAsync();
        var (_, first) = await Api.CreateProjectAsync(clientId);

        // The staff operation itself (shared by the API and the demo seed) checks before it allocates.
        var client = await fixture.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IClientGrain>(clientId).Get();
        var operations = fixture.Host.Services.GetRequiredService<StaffOperations>();
        var refused = await Assert.ThrowsAsync<PortalRuleViolation>(() => operations.CreateProjectAsync(client, "   ", null));
        Assert.Equal(RuleCodes.ValidationTitle, refused.Code);

        var (_, second) = await Api.CreateProjectAsync(clientId);
        Assert.Equal(first + 1, second);
    }

    private async Task<Guid> SentInvoiceAsync()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (invoiceId, _) = await Api.CreateInvoiceAsync(projectId);
        await Api.SendAsync("invoices", invoiceId);
        return invoiceId;
    }

    private static HttpRequestMessage PaymentRequest(Guid invoiceId, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/invoices/{invoiceId}/payments") { Content = JsonContent.Create(body) };
        Assert.True(request.Headers.TryAddWithoutValidation("Idempotency-Key", key));
        return request;
    }

    private async Task<(HttpStatusCode Status, string Body)> PayAsync(Guid invoiceId, object body, string key)
    {
        using var request = PaymentRequest(invoiceId, body, key);
        using var response = await Api.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Day(int fromToday) =>
        DateOnly.FromDateTime(DateTime.UtcNow).AddDays(fromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int Sequence(string number) => int.Parse(number[(number.IndexOf('-', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
}
