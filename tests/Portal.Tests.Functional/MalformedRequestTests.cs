using System.Net;
using System.Text.Json.Nodes;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// A field the API cannot read is answered with its name and what it wants ("paymentId must be a UUID"), in
/// <c>errors</c> by field, and never with the name of a type inside the application.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Category", "Security")]
public sealed class MalformedRequestTests(PortalHostFixture fixture)
{
    private HttpClient Api => fixture.Host.Api;

    [Fact]
    public async Task Each_unreadable_field_is_named_with_what_it_wants_and_no_internal_type()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (invoiceId, _) = await Api.CreateInvoiceAsync(projectId);
        var payments = $"/api/invoices/{invoiceId}/payments";
        var proposals = $"/api/projects/{projectId}/proposals";

        var cases = new (string Path, string Body, string Field, string Wants)[]
        {
            (payments, """{"amount": 10, "method": "cash", "paymentId": "not-a-uuid"}""", "paymentId", "paymentId must be a UUID"),
            (payments, """{"amount": "lots", "method": "cash"}""", "amount", "amount must be a number"),
            (payments, """{"amount": 10, "method": "cheque"}""", "method", "method must be one of \"bank_transfer\""),
            (payments, """{"amount": 10, "method": "cash", "receivedOn": "31/12/2026"}""", "receivedOn", "receivedOn must be a date as yyyy-MM-dd"),
            (payments, """{"amount": 10, "method": "cash", "reference": ["a"]}""", "reference", "reference must be text"),
            ("/api/projects", $$"""{"clientId": "{{clientId}}", "title": 42}""", "title", "title must be text"),
            ("/api/projects", """{"clientId": 7, "title": "Loft"}""", "clientId", "clientId must be a UUID"),
            (proposals, """{"kind": "quote", "validUntil": "2030-01-01", "lines": [{"description": "x", "quantity": "many", "unitPrice": 1, "vatRate": 20}]}""", "lines[0].quantity", "lines[0].quantity must be a number"),
            (proposals, """{"kind": "quote", "validUntil": "2030-01-01", "lines": "two"}""", "lines", "lines must be a list"),
            (proposals, """{"kind": "quote", "validUntil": "2030-01-01", "lines": ["x"]}""", "lines[0]", "lines[0] must be an object"),
            (proposals, """{"kind": "invoice?", "validUntil": "2030-01-01", "lines": []}""", "kind", "kind must be one of \"quote\""),
            ($"/api/projects/{projectId}/events", """{"name": "Survey", "startsAt": "tomorrow", "endsAt": "2030-01-01T10:00:00Z"}""", "startsAt", "startsAt must be a date and time"),
        };

        foreach (var (path, body, field, wants) in cases)
        {
            using var response = await Api.PostAsync(path, ApiExtensions.RawJson(body));
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, RuleCodes.RequestMalformed);
            var errors = problem["errors"]?[field]?.AsArray();
            Assert.True(errors is { Count: 1 }, $"{path} {body}: no error for '{field}' in {problem.ToJsonString()}");
            Assert.StartsWith(wants, errors[0]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.StartsWith(wants, problem.Str("detail"), StringComparison.Ordinal);
            AssertNoInternalName(problem);
        }
        Assert.Empty((await Api.GetOkAsync($"/api/invoices/{invoiceId}"))["payments"]!.AsArray());
    }

    [Fact]
    public async Task A_body_that_is_not_json_or_not_an_object_or_missing_names_no_internal_type()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (invoiceId, _) = await Api.CreateInvoiceAsync(projectId);

        foreach (var (path, body) in new[]
        {
            ("/api/projects", "{\"clientId\": "),
            ("/api/projects", "[1, 2]"),
            ("/api/projects", "null"),
            ("/api/projects", "\"text\""),
            ($"/api/invoices/{invoiceId}/payments", "{\"amount\": 10,, }"),
            ($"/api/invoices/{invoiceId}/payments", "[]"),
            ($"/api/invoices/{invoiceId}/payments", ""),
        })
        {
            using var response = await Api.PostAsync(path, ApiExtensions.RawJson(body));
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, RuleCodes.RequestMalformed);
            Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), $"{path} {body}: no detail");
            AssertNoInternalName(problem);
        }
    }

    private static void AssertNoInternalName(JsonNode problem)
    {
        var text = problem.ToJsonString();
        foreach (var internalName in new[] { "Portal.", "System.", "Microsoft.", "Nullable", "RecordPaymentRequest", "CreateProjectRequest", "LineRequest", "Guid", "Decimal", "DateOnly" })
        {
            Assert.DoesNotContain(internalName, text, StringComparison.Ordinal);
        }
    }
}
