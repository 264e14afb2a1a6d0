using System.Net;
using System.Net.Http.Headers;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>A key removed through one web node is refused by the other on its very next request (no key cache).</summary>
public sealed class ApiKeyRemovalAcrossNodesTests : IAsyncLifetime
{
    private TwoWebNodes _nodes = null!;

    public async Task InitializeAsync() => _nodes = await TwoWebNodes.StartAsync();

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [Trait("Category", "Security")]
    [Fact]
    public async Task A_key_removed_through_one_node_is_refused_at_once_by_the_other()
    {
        var created = await _nodes.A.Api.PostOkAsync("/api/api-keys", new { label = "Leaked" });
        using var onB = _nodes.B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Str("key"));
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/company")).StatusCode);

        using (var removed = await _nodes.A.Api.DeleteAsync($"/api/api-keys/{created.Id()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/company")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _nodes.B.Api.GetAsync("/api/company")).StatusCode);
    }
}
