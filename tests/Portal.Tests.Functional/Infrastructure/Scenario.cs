using System.Text.Json.Nodes;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>Creates the usual things through the public API, as staff would.</summary>
public static class Scenario
{
    public static async Task<Guid> CreateClientAsync(this HttpClient api, string name = "Jane Smith", string? email = null)
    {
        var created = await api.PostOkAsync("/api/clients", new { name, email = email ?? $"jane.{Guid.NewGuid():N}@example.com", phone = "07700 900123" });
        return created.Id();
    }

    public static async Task<(Guid Id, int Number)> CreateProjectAsync(this HttpClient api, Guid clientId, string title = "Kitchen refit")
    {
        var created = await api.PostOkAsync("/api/projects", new { clientId, title, siteAddress = "4 Orchard Lane" });
        return (created.Id(), created["number"]!.GetValue<int>());
    }

    public static object TwoLines => new[]
    {
        new { description = "Supply and fit units", quantity = 14m, unitPrice = 185m, vatRate = 20m },
        new { description = "Quartz worktop", quantity = 1m, unitPrice = 2400m, vatRate = 20m },
    };

    public static async Task<(Guid Id, string Number)> CreateQuoteAsync(this HttpClient api, Guid projectId, DateOnly? validUntil = null, string kind = "quote")
    {
        var created = await api.PostOkAsync($"/api/projects/{projectId}/proposals", new
        {
            kind,
            validUntil = (validUntil ?? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            lines = TwoLines,
            notes = "Appliances supplied by the client.",
        });
        return (created.Id(), created.Str("number"));
    }

    public static async Task<(Guid Id, string Number)> CreateInvoiceAsync(this HttpClient api, Guid projectId, decimal unitPrice = 1000m)
    {
        var created = await api.PostOkAsync($"/api/projects/{projectId}/invoices", new
        {
            dueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            lines = new[] { new { description = "Deposit", quantity = 1m, unitPrice, vatRate = 20m } },
        });
        return (created.Id(), created.Str("number"));
    }

    public static async Task<JsonNode> SendAsync(this HttpClient api, string kind, Guid id) =>
        await api.PostOkAsync($"/api/{kind}/{id}/send", null, System.Net.HttpStatusCode.OK);

    /// <summary>Shares a file on the project without emailing the client; returns the API's answer (id, sha256, …).</summary>
    public static async Task<JsonNode> ShareFileQuietlyAsync(this HttpClient api, Guid projectId, string name, byte[] bytes)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", name);
        form.Add(new StringContent("false"), "notify");
        using var response = await api.PostAsync($"/api/projects/{projectId}/files", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"Sharing {name} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
