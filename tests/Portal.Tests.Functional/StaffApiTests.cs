using System.Net;
using System.Net.Http.Json;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

[Collection(PortalCollection.Name)]
public sealed class StaffApiTests(PortalHostFixture fixture)
{
    private HttpClient Api => fixture.Host.Api;

    [Fact]
    public async Task A_quote_with_two_lines_at_20_percent_is_created_sent_and_read_back_with_right_totals()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, projectNumber) = await Api.CreateProjectAsync(clientId);
        var (quoteId, quoteNumber) = await Api.CreateQuoteAsync(projectId);

        Assert.True(projectNumber >= 1001);
        Assert.Matches(@"^Q-\d{4}$", quoteNumber);

        var sent = await Api.SendAsync("proposals", quoteId);
        Assert.Equal("sent", sent.Str("status"));
        Assert.StartsWith(fixture.Host.BaseUri + "p/", sent.Str("portalUrl"));

        var quote = await Api.GetOkAsync($"/api/proposals/{quoteId}");
        Assert.Equal("sent", quote.Str("status"));
        Assert.Equal("quote", quote.Str("kind"));
        var totals = quote["totals"]!;
        Assert.Equal(4990.00m, totals.Dec("subtotal"));   // 14 × 185 + 2400
        Assert.Equal(998.00m, totals.Dec("vat"));
        Assert.Equal(5988.00m, totals.Dec("total"));
        Assert.Equal("GBP", totals.Str("currency"));
        Assert.Equal(2, quote["lines"]!.AsArray().Count);

        var project = await Api.GetOkAsync($"/api/projects/{projectId}");
        Assert.Equal("open", project.Str("status"));
        var summary = Assert.Single(project["proposals"]!.AsArray());
        Assert.Equal("sent", summary!.Str("status"));
    }

    [Fact]
    public async Task Numbers_are_allocated_in_sequence_per_kind()
    {
        var clientId = await Api.CreateClientAsync();
        var (p1, n1) = await Api.CreateProjectAsync(clientId);
        var (_, n2) = await Api.CreateProjectAsync(clientId);
        Assert.Equal(n1 + 1, n2);

        var (_, q1) = await Api.CreateQuoteAsync(p1);
        var (_, q2) = await Api.CreateQuoteAsync(p1);
        var (_, e1) = await Api.CreateQuoteAsync(p1, kind: "estimate");
        var (_, i1) = await Api.CreateInvoiceAsync(p1);
        Assert.Equal(int.Parse(q1[2..], System.Globalization.CultureInfo.InvariantCulture) + 1, int.Parse(q2[2..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Matches(@"^E-\d{4}$", e1);
        Assert.Matches(@"^INV-\d{4}$", i1);
    }

    [Fact]
    public async Task Manual_payments_move_an_invoice_to_partially_paid_then_paid_and_overpayment_is_refused()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (invoiceId, _) = await Api.CreateInvoiceAsync(projectId, unitPrice: 1000m); // total 1,200.00
        await Api.SendAsync("invoices", invoiceId);

        var first = await Api.PostOkAsync($"/api/invoices/{invoiceId}/payments", new { amount = 200.00m, method = "bank_transfer", reference = "INV deposit" });
        Assert.Equal("partially_paid", first.Str("status"));
        Assert.Equal(1000.00m, first.Dec("balance"));

        using (var over = await Api.PostAsJsonAsync($"/api/invoices/{invoiceId}/payments", new { amount = 1000.01m, method = "cash" }))
        {
            await over.AssertProblemAsync(HttpStatusCode.Conflict, "invoice.overpayment");
        }
        var unchanged = await Api.GetOkAsync($"/api/invoices/{invoiceId}");
        Assert.Equal(200.00m, unchanged.Dec("amountPaid"));
        Assert.Single(unchanged["payments"]!.AsArray());

        var paymentId = Guid.NewGuid();
        var second = await Api.PostOkAsync($"/api/invoices/{invoiceId}/payments", new { amount = 1000.00m, method = "cash", paymentId });
        Assert.Equal("paid", second.Str("status"));
        Assert.Equal(0m, second.Dec("balance"));

        // The same payment retried is recorded once.
        var retried = await Api.PostOkAsync($"/api/invoices/{invoiceId}/payments", new { amount = 1000.00m, method = "cash", paymentId });
        Assert.Equal("paid", retried.Str("status"));
        var paid = await Api.GetOkAsync($"/api/invoices/{invoiceId}");
        Assert.Equal(2, paid["payments"]!.AsArray().Count);
        Assert.Equal(1200.00m, paid.Dec("amountPaid"));
    }

    [Fact]
    public async Task Refused_transitions_answer_409_with_the_rule_code_and_change_nothing()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var (quoteId, _) = await Api.CreateQuoteAsync(projectId);
        await Api.SendAsync("proposals", quoteId);
        var before = await Api.GetOkAsync($"/api/proposals/{quoteId}");

        using (var again = await Api.PostAsync($"/api/proposals/{quoteId}/send", null))
        {
            var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.StartsWith("proposal.", problem.Str("code"));
        }
        var after = await Api.GetOkAsync($"/api/proposals/{quoteId}");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());

        await Api.PostOkAsync($"/api/projects/{projectId}/complete", null, HttpStatusCode.OK);
        using (var twice = await Api.PostAsync($"/api/projects/{projectId}/complete", null))
        {
            await twice.AssertProblemAsync(HttpStatusCode.Conflict, "project.already_complete");
        }
        using (var booking = await Api.PostAsJsonAsync($"/api/projects/{projectId}/events", new { name = "Survey", startsAt = DateTimeOffset.UtcNow.AddDays(1), endsAt = DateTimeOffset.UtcNow.AddDays(1).AddHours(2) }))
        {
            await booking.AssertProblemAsync(HttpStatusCode.Conflict, "project.complete");
        }
        var project = await Api.GetOkAsync($"/api/projects/{projectId}");
        Assert.Equal("complete", project.Str("status"));
        Assert.Empty(project["bookings"]!.AsArray());

        var (invoiceId, _) = await Api.CreateInvoiceAsync((await Api.CreateProjectAsync(clientId)).Id);
        using (var draftPayment = await Api.PostAsJsonAsync($"/api/invoices/{invoiceId}/payments", new { amount = 10m, method = "cash" }))
        {
            await draftPayment.AssertProblemAsync(HttpStatusCode.Conflict, "invoice.not_payable");
        }
    }

    [Fact]
    public async Task Malformed_json_and_invalid_fields_answer_400_and_create_nothing()
    {
        var clientId = await Api.CreateClientAsync();
        var before = await Api.GetOkAsync($"/api/clients/{clientId}");

        using (var malformed = await Api.PostAsync("/api/projects", ApiExtensions.RawJson("{\"clientId\": ")))
        {
            await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, "request.malformed");
        }
        using (var wrongType = await Api.PostAsync("/api/projects", ApiExtensions.RawJson($"{{\"clientId\": \"{clientId}\", \"title\": 42}}")))
        {
            await wrongType.AssertProblemAsync(HttpStatusCode.BadRequest);
        }
        using (var missing = await Api.PostAsJsonAsync("/api/projects", new { clientId }))
        {
            var problem = await missing.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
            Assert.NotNull(problem["errors"]!["title"]);
        }
        using (var badEmail = await Api.PostAsJsonAsync("/api/clients", new { name = "Bob", email = "not-an-email" }))
        {
            var problem = await badEmail.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
            Assert.NotNull(problem["errors"]!["email"]);
        }

        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        using (var badLines = await Api.PostAsJsonAsync($"/api/projects/{projectId}/proposals", new
        {
            kind = "quote",
            validUntil = "2030-01-01",
            lines = new[] { new { description = "", quantity = -1m, unitPrice = 10m, vatRate = 150m } },
        }))
        {
            var problem = await badLines.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
            Assert.NotNull(problem["errors"]!["lines[0].vatRate"]);
            Assert.NotNull(problem["errors"]!["lines[0].quantity"]);
        }
        using (var badKind = await Api.PostAsync($"/api/projects/{projectId}/proposals", ApiExtensions.RawJson("{\"kind\":\"invoice-ish\",\"validUntil\":\"2030-01-01\",\"lines\":[]}")))
        {
            await badKind.AssertProblemAsync(HttpStatusCode.BadRequest);
        }

        var after = await Api.GetOkAsync($"/api/clients/{clientId}");
        Assert.Single(after["projects"]!["open"]!.AsArray());
        Assert.Empty(before["projects"]!["open"]!.AsArray());
        var project = await Api.GetOkAsync($"/api/projects/{projectId}");
        Assert.Empty(project["proposals"]!.AsArray());
    }

    [Fact]
    public async Task Requests_without_a_valid_api_key_answer_401_and_change_nothing()
    {
        using var anonymous = fixture.Host.CreateClient();
        using (var response = await anonymous.PostAsJsonAsync("/api/clients", new { name = "Mallory", email = "m@example.com" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using var wrong = fixture.Host.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-key");
        using (var response = await wrong.GetAsync("/api/company"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        var company = await Api.GetOkAsync("/api/company");
        Assert.False(string.IsNullOrEmpty(company.Str("name")));
    }

    [Fact]
    public async Task Unknown_ids_answer_404_problem_details()
    {
        foreach (var path in new[] { "clients", "projects", "proposals", "invoices" })
        {
            using var response = await Api.GetAsync($"/api/{path}/{Guid.NewGuid()}");
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }
        using (var response = await Api.PostAsJsonAsync("/api/projects", new { clientId = Guid.NewGuid(), title = "Ghost" }))
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "client.not_found");
        }
        using (var response = await Api.DeleteAsync($"/api/portal-links/{Guid.NewGuid()}"))
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "link.not_found");
        }
    }

    [Fact]
    public async Task Bookings_files_and_completion_show_on_the_project()
    {
        var clientId = await Api.CreateClientAsync();
        var (projectId, _) = await Api.CreateProjectAsync(clientId);
        var startsAt = DateTimeOffset.UtcNow.AddDays(3);
        await Api.PostOkAsync($"/api/projects/{projectId}/events", new { name = "Site survey", startsAt, endsAt = startsAt.AddHours(2) });

        using var form = new MultipartFormDataContent();
        var bytes = "hello file"u8.ToArray();
        form.Add(new ByteArrayContent(bytes) { Headers = { ContentType = new("text/plain") } }, "file", "notes.txt");
        using var upload = await Api.PostAsync($"/api/projects/{projectId}/files", form);
        var uploaded = await upload.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(bytes.Length, uploaded["size"]!.GetValue<long>());

        var project = await Api.GetOkAsync($"/api/projects/{projectId}");
        Assert.Equal("Site survey", Assert.Single(project["bookings"]!.AsArray())!.Str("name"));
        Assert.Equal("notes.txt", Assert.Single(project["files"]!.AsArray())!.Str("name"));

        var done = await Api.PostOkAsync($"/api/projects/{projectId}/complete", null, HttpStatusCode.OK);
        Assert.Equal("complete", done.Str("status"));
        var client = await Api.GetOkAsync($"/api/clients/{clientId}");
        Assert.Single(client["projects"]!["complete"]!.AsArray());
    }

    [Fact]
    public async Task Company_settings_update_and_invalid_settings_are_refused()
    {
        var updated = await Api.PutAsJsonAsync("/api/company", new { vatNumber = "GB 999 9999 99", brandColour = "#112233" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var company = await Api.GetOkAsync("/api/company");
        Assert.Equal("GB 999 9999 99", company.Str("vatNumber"));

        using var bad = await Api.PutAsJsonAsync("/api/company", new { brandColour = "red; background:url(x)" });
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("#112233", (await Api.GetOkAsync("/api/company")).Str("brandColour"));
    }

    [Fact]
    public async Task Portal_links_are_issued_and_revoked()
    {
        var clientId = await Api.CreateClientAsync();
        var link = await Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        Assert.Contains("/p/", link.Str("url"));
        var token = link.Str("url").Split("/p/")[1];
        Assert.True(token.Length >= 43, "a 256-bit token in base64url has 43 characters");

        using var revoked = await Api.DeleteAsync($"/api/portal-links/{link.Id()}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        using var client = fixture.Host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }
}
