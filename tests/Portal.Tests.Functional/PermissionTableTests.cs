using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Api;
using Portal.Web.Auth;

namespace Portal.Tests.Functional;

/// <summary>
/// The permission table over every mapped staff API route, read from the running app (so a new route is covered the
/// day it is mapped): no credentials → 401; a key of each role and a signed-in session of each role → 403 <c>staff.forbidden</c> exactly where the table
/// says the role may not, and the GETs it may → 200; another company's key → 404 on the ids of this one. Every refusal
/// leaves the company, its keys and the documents exactly as they were.
/// </summary>
[Trait("Category", "Security")]
public sealed partial class PermissionTableTests : IAsyncLifetime
{
    private PortalTestHost _host = null!;
    private Scene _scene = null!;

    public async Task InitializeAsync()
    {
        _host = await PortalTestHost.StartAsync();
        _scene = await Scene.CreateAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("admin")]
    [InlineData("member")]
    public async Task A_key_of_each_role_gets_exactly_what_the_table_gives_and_refusals_change_nothing(string wire)
    {
        Assert.True(StaffPermissions.TryParse(wire, out var role));
        var key = (await _host.Api.PostOkAsync("/api/api-keys", new { name = $"{wire} key", role = wire })).Str("key");
        using var api = Client(key);
        var before = await _scene.SnapshotAsync(_host.Api);
        var checkedRoutes = new List<string>();

        foreach (var (method, template, hasBody) in ApiRoutes())
        {
            var path = _scene.Fill(template);
            var allowed = StaffPermissions.Can(role, StaffApi.RightFor(method, template));
            if (!allowed)
            {
                using var response = await SendAsync(api, method, path, hasBody);
                await response.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
                checkedRoutes.Add($"{method} {template} 403");
            }
            else if (Microsoft.AspNetCore.Http.HttpMethods.IsGet(method))
            {
                // Allowed: answered on its merits (a signature image of an unsigned quote is a 404), never refused by role.
                using var response = await api.GetAsync(path);
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{wire}: GET {path} answered {(int)response.StatusCode}");
                checkedRoutes.Add($"{method} {template} {(int)response.StatusCode}");
            }
        }

        Assert.Equal(before, await _scene.SnapshotAsync(_host.Api));
        Assert.True(checkedRoutes.Count >= 10, string.Join("\n", checkedRoutes));
        if (role == StaffRole.Member)
        {
            Assert.Contains(checkedRoutes, r => r.EndsWith(" 403", StringComparison.Ordinal));
        }
        else
        {
            Assert.DoesNotContain(checkedRoutes, r => r.EndsWith(" 403", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("admin")]
    [InlineData("member")]
    public async Task A_session_of_each_role_gets_exactly_what_the_table_gives_and_refusals_change_nothing(string wire)
    {
        Assert.True(StaffPermissions.TryParse(wire, out var role));
        var companyId = (await _host.Api.GetOkAsync("/api/company")).Id();
        var email = "admin@portal.local";
        if (role != StaffRole.Owner)
        {
            email = $"{wire}.{Guid.NewGuid():N}@table.example";
            await StaffSessionEndTests.AddMemberAsync(_host, companyId, email, role);
        }
        using var session = role == StaffRole.Owner
            ? await StaffSessionEndTests.SignInAsync(_host, email, "correct horse battery staple")
            : await StaffSessionEndTests.SignInAsync(_host, email);
        var token = await session.TokenFromAsync("/staff/feed");
        var before = await _scene.SnapshotAsync(_host.Api);
        var refused = 0;

        foreach (var (method, template, hasBody) in ApiRoutes())
        {
            var path = _scene.Fill(template);
            if (!StaffPermissions.Can(role, StaffApi.RightFor(method, template)))
            {
                using var request = Request(method, path, hasBody);
                request.Headers.Add("RequestVerificationToken", token);
                using var response = await session.Http.SendAsync(request);
                await response.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
                refused++;
            }
            else if (Microsoft.AspNetCore.Http.HttpMethods.IsGet(method))
            {
                using var response = await session.Http.GetAsync(path);
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{wire} session: GET {path} answered {(int)response.StatusCode}");
            }
        }

        Assert.Equal(before, await _scene.SnapshotAsync(_host.Api));
        Assert.Equal(role == StaffRole.Member, refused > 0);
    }

    [Fact]
    public async Task Without_credentials_every_route_is_401_and_nothing_changes()
    {
        using var anonymous = _host.CreateClient();
        var before = await _scene.SnapshotAsync(_host.Api);
        foreach (var (method, template, hasBody) in ApiRoutes())
        {
            using var response = await SendAsync(anonymous, method, _scene.Fill(template), hasBody);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {template} answered {(int)response.StatusCode} without credentials");
        }
        Assert.Equal(before, await _scene.SnapshotAsync(_host.Api));
    }

    [Fact]
    public async Task Another_companys_admin_key_finds_none_of_this_companys_ids()
    {
        var grains = _host.Services.GetRequiredService<IGrainFactory>();
        var otherCompany = Guid.NewGuid();
        await grains.GetGrain<ICompanyGrain>(otherCompany).Create("Other Co");
        var otherKey = ApiKeyAuthenticationHandler.NewKey();
        await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).AddCompanyApiKey(otherCompany, ApiKeyAuthenticationHandler.HashKey(otherKey), "Other", StaffRole.Admin, null);
        using var other = Client(otherKey);
        var before = await _scene.SnapshotAsync(_host.Api);

        var probed = 0;
        foreach (var (method, template, hasBody) in ApiRoutes().Where(r => r.Template.Contains("{id", StringComparison.Ordinal) && !r.HasBody))
        {
            using var response = await SendAsync(other, method, _scene.Fill(template), hasBody);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {template} answered {(int)response.StatusCode} to another company");
            probed++;
        }
        Assert.True(probed >= 10, $"only {probed} routes with ids probed");
        Assert.Equal(before, await _scene.SnapshotAsync(_host.Api));
    }

    private HttpClient Client(string key)
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, bool hasBody) =>
        client.SendAsync(Request(method, path, hasBody));

    private static HttpRequestMessage Request(string method, string path, bool hasBody)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (path.EndsWith("/files", StringComparison.Ordinal))
        {
            // Uploads accept multipart only (anything else is a 415 before authorization, by routing).
            request.Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "probe.txt" } };
        }
        else if (hasBody)
        {
            request.Content = JsonContent.Create(new { });
        }
        return request;
    }

    /// <summary>Every /api route and method the app maps (the OpenAPI document and the live-token route included).</summary>
    private List<(string Method, string Template, bool HasBody)> ApiRoutes() =>
        [.. _host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (
                Method: m,
                Template: Constraint().Replace(e.RoutePattern.RawText!, "{${name}}"),
                HasBody: e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is not null)))
            .OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];

    [GeneratedRegex(@"\{(?<name>[^}:?]+)[^}]*\}")]
    private static partial Regex Constraint();

    /// <summary>A client, project, sent quote and invoice of the bootstrap company, to fill route ids and to compare.</summary>
    private sealed record Scene(Guid ClientId, Guid ProjectId, Guid QuoteId, Guid InvoiceId, Guid FileId)
    {
        public static async Task<Scene> CreateAsync(PortalTestHost host)
        {
            var clientId = await host.Api.CreateClientAsync();
            var (projectId, _) = await host.Api.CreateProjectAsync(clientId);
            var (quoteId, _) = await host.Api.CreateQuoteAsync(projectId);
            await host.Api.SendAsync("proposals", quoteId);
            var (invoiceId, _) = await host.Api.CreateInvoiceAsync(projectId);
            await host.Api.SendAsync("invoices", invoiceId);
            return new Scene(clientId, projectId, quoteId, invoiceId, Guid.NewGuid());
        }

        /// <summary>A route with its ids: the scene's id of the resource its path names (a random one for other resources).</summary>
        public string Fill(string template) =>
            IdSegment().Replace(template, match => match.Groups["resource"].Value + "/" + (match.Groups["resource"].Value switch
            {
                "clients" => ClientId,
                "projects" => ProjectId,
                "proposals" => QuoteId,
                "invoices" => InvoiceId,
                _ => Guid.NewGuid(),
            }));

        public async Task<string> SnapshotAsync(HttpClient api) => string.Join("\n",
            (await api.GetOkAsync("/api/company")).ToJsonString(),
            (await api.GetOkAsync("/api/api-keys")).AsArray().Count,
            (await api.GetOkAsync($"/api/clients/{ClientId}")).ToJsonString(),
            (await api.GetOkAsync($"/api/projects/{ProjectId}")).ToJsonString(),
            (await api.GetOkAsync($"/api/proposals/{QuoteId}")).ToJsonString(),
            (await api.GetOkAsync($"/api/invoices/{InvoiceId}")).ToJsonString());
    }

    [GeneratedRegex(@"(?<resource>[a-z-]+)/\{[^}]+\}")]
    private static partial Regex IdSegment();
}
