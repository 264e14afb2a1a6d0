using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>Staff add and remove API keys by API; a removed key stops working at once; the last key stays.</summary>
public sealed class ApiKeyManagementTests : IAsyncLifetime
{
    // A host of its own: these tests remove keys.
    private PortalTestHost _host = null!;

    private HttpClient Api => _host.Api;

    public async Task InitializeAsync() => _host = await PortalTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient WithKey(string key)
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private async Task<JsonArray> KeysAsync() => (await Api.GetOkAsync("/api/api-keys")).AsArray();

    [Trait("Category", "Security")]
    [Fact]
    public async Task A_created_key_works_and_once_deleted_is_refused_at_once()
    {
        var created = await Api.PostOkAsync("/api/api-keys", new { label = "CI deploys" });
        var key = created.Str("key");
        Assert.StartsWith("pk_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 32, key);
        Assert.Equal("CI deploys", created.Str("label"));

        using var ci = WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync("/api/company")).StatusCode);
        Assert.Contains(await KeysAsync(), k => k!.Id() == created.Id() && k!.Str("label") == "CI deploys");

        using (var removed = await Api.DeleteAsync($"/api/api-keys/{created.Id()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        // The very next request with the removed key is refused; the other key still works.
        using (var refused = await ci.GetAsync("/api/company"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        Assert.DoesNotContain(await KeysAsync(), k => k!.Id() == created.Id());
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync("/api/company")).StatusCode);

        using var again = await Api.DeleteAsync($"/api/api-keys/{created.Id()}");
        await again.AssertProblemAsync(HttpStatusCode.NotFound, "apikey.not_found");
    }

    [Trait("Category", "Security")]
    [Fact]
    public async Task A_key_can_remove_another_and_the_last_key_cannot_be_removed()
    {
        var created = await Api.PostOkAsync("/api/api-keys", new { label = "Rotation" });
        using var rotated = WithKey(created.Str("key"));

        // The new key removes every other key, the bootstrap key among them…
        foreach (var other in (await KeysAsync()).Where(k => k!.Id() != created.Id()))
        {
            using var removed = await rotated.DeleteAsync($"/api/api-keys/{other!.Id()}");
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        using (var oldKey = await Api.GetAsync("/api/company"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, oldKey.StatusCode);
        }

        // …but not itself, the last one: nobody is locked out.
        using (var last = await rotated.DeleteAsync($"/api/api-keys/{created.Id()}"))
        {
            await last.AssertProblemAsync(HttpStatusCode.Conflict, "apikey.last");
        }
        Assert.Equal(HttpStatusCode.OK, (await rotated.GetAsync("/api/company")).StatusCode);
        var keys = (await rotated.GetOkAsync("/api/api-keys")).AsArray();
        Assert.Equal(created.Id(), Assert.Single(keys)!.Id());
    }

    [Trait("Category", "Security")]
    [Fact]
    public async Task Listing_keys_never_shows_a_key_or_its_hash_and_a_key_needs_a_label()
    {
        var created = await Api.PostOkAsync("/api/api-keys", new { label = "Reporting" });
        var key = created.Str("key");

        var keys = await KeysAsync();
        Assert.True(keys.Count >= 2);
        var listed = keys.ToJsonString();
        foreach (var secret in new[] { key, PortalTestHost.ApiKey })
        {
            Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
            Assert.DoesNotContain(Portal.Web.Auth.ApiKeyAuthenticationHandler.HashKey(secret), listed, StringComparison.OrdinalIgnoreCase);
        }
        Assert.All(keys, k =>
        {
            Assert.Equal(["createdAt", "createdBy", "id", "label", "role"], k!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        });

        using var unlabelled = await Api.PostAsJsonAsync("/api/api-keys", new { label = "" });
        await unlabelled.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.label");

        using var anonymous = _host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/api-keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/api-keys", new { label = "x" })).StatusCode);
    }
}
