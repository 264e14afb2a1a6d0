using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// Ending a session or removing an API key through one web node closes the staff hub connections it holds on the
/// other at once (through the company feed, no backplane).
/// </summary>
[Trait("Category", "Security")]
public sealed class StaffHubClosingAcrossNodesTests : IAsyncLifetime
{
    private TwoWebNodes _nodes = null!;

    public async Task InitializeAsync() => _nodes = await TwoWebNodes.StartAsync(new Dictionary<string, string?> { ["Portal:SignUp:Open"] = "true" });

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sign_out_everywhere_on_one_node_closes_the_persons_hub_connections_on_the_other()
    {
        using var onA = await StaffSessionEndTests.SignUpAsync(_nodes.A, "Two Node Co", "two.node@example.com");
        using var onB = await StaffSessionEndTests.SignInAsync(_nodes.B, "two.node@example.com");
        await using var hubOnB = await StaffHubProbe.WithCookiesAsync(_nodes.B.BaseUri, onB.Cookies);
        await using var keyOnB = await StaffHubProbe.WithBearerAsync(_nodes.B.BaseUri, PortalTestHost.ApiKey);

        var token = await onA.TokenFromAsync("/staff/security");
        using (var response = await onA.Http.PostAsync("/staff/security/sign-out-everywhere", StaffSessionEndTests.Form(token)))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        await hubOnB.EndedAndClosedAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.Http.GetAsync("/api/company")).StatusCode);
        Assert.Equal(HubConnectionState.Connected, keyOnB.Connection.State);
    }

    [Fact]
    public async Task A_key_removed_on_one_node_closes_its_hub_connections_on_the_other_by_header_and_by_token()
    {
        var created = await _nodes.A.Api.PostOkAsync("/api/api-keys", new { name = "Leaked" });
        var key = created.Str("key");
        using var keyClient = _nodes.B.CreateClient();
        keyClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var hubToken = (await keyClient.PostOkAsync("/api/live/token", null, HttpStatusCode.OK)).Str("accessToken");
        await using var byHeader = await StaffHubProbe.WithBearerAsync(_nodes.B.BaseUri, key);
        await using var byToken = await StaffHubProbe.WithBearerAsync(_nodes.B.BaseUri, hubToken);
        await using var kept = await StaffHubProbe.WithBearerAsync(_nodes.B.BaseUri, PortalTestHost.ApiKey);

        using (var removed = await _nodes.A.Api.DeleteAsync($"/api/api-keys/{created.Id()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        await byHeader.EndedAndClosedAsync();
        await byToken.EndedAndClosedAsync();
        Assert.Equal(HubConnectionState.Connected, kept.Connection.State);
        await using var again = LiveStaffFeed.Build(_nodes.B.BaseUri, key);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => again.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
