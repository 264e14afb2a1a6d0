using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Auth;

namespace Portal.Tests.Functional;

/// <summary>
/// The permission table over every staff console page, read from the running app (a new page fails this test until
/// the table below says who may open it): an owner's, an admin's and a member's session, an admin and a member API
/// key, another company's owner and no credentials each get exactly the status the table gives. A refused person
/// gets the friendly 403 page, someone signed out the sign-in page, another company a 404 on this one's ids.
/// </summary>
[Trait("Category", "Security")]
public sealed partial class ConsolePermissionTests : IClassFixture<ConsolePermissionTests.Scene>
{
    /// <summary>
    /// Who may open each signed-in console page: the right it needs (null: any signed-in staff), and whether it is a
    /// person's own page (Security, the company picker), which an API key, proving no person, cannot open.
    /// </summary>
    private static readonly Dictionary<string, (StaffRight? Right, bool PersonOnly)> Pages = new()
    {
        ["/staff/feed"] = (null, false),
        ["/staff/security/sign-out-everywhere"] = (null, false),
        ["/staff/team"] = (StaffRight.Administer, false),
        ["/staff/exports"] = (StaffRight.Money, false),
        ["/staff/security"] = (null, true),
        ["/staff/companies"] = (null, true),
    };

    /// <summary>Pages that only take a form post; a GET by someone allowed goes back to the page holding the form.</summary>
    private static readonly Dictionary<string, string> PostOnly = new()
    {
        ["/staff/security/sign-out-everywhere"] = "/staff/security",
    };

    private readonly Scene _scene;

    public ConsolePermissionTests(Scene scene) => _scene = scene;

    public static TheoryData<string> Principals() =>
        ["owner", "admin", "member", "admin key", "member key", "other company's owner", "no credentials"];

    [Theory]
    [MemberData(nameof(Principals))]
    public async Task Each_console_page_answers_each_principal_as_the_permission_table_says(string principal)
    {
        var http = _scene.Principals[principal];
        var answered = new List<string>();
        foreach (var template in SignedInPages())
        {
            Assert.True(Pages.TryGetValue(template, out var rule), $"{template} is not in the console permission table");
            var path = Fill(template);
            using var response = await http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            var expected = Expected(principal, template, rule);
            var goesTo = expected == HttpStatusCode.Redirect ? "/staff/sign-in" : null;
            if (PostOnly.TryGetValue(template, out var back) && expected == HttpStatusCode.OK)
            {
                // A form's target: its GET sends the person back to the page with the form.
                (expected, goesTo) = (HttpStatusCode.Redirect, back);
            }
            Assert.True(expected == response.StatusCode,
                $"{principal}: GET {path} answered {(int)response.StatusCode}, the table says {(int)expected}");
            switch (expected)
            {
                case HttpStatusCode.Forbidden:
                    Assert.Contains("Your role does not allow it.", body, StringComparison.Ordinal);
                    break;
                case HttpStatusCode.Redirect:
                    Assert.Equal(goesTo, response.Headers.Location is { } location
                        ? (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0])
                        : null);
                    break;
                case HttpStatusCode.OK when principal == "other company's owner":
                    Assert.DoesNotContain("Matrix Co", body, StringComparison.Ordinal);
                    break;
            }
            answered.Add($"{template} {(int)response.StatusCode}");
        }
        Assert.True(answered.Count >= Pages.Count, string.Join("\n", answered));
    }

    [Fact]
    public void The_table_names_only_pages_the_app_maps()
    {
        var mapped = SignedInPages();
        Assert.All(Pages.Keys, page => Assert.Contains(page, mapped));
    }

    private static HttpStatusCode Expected(string principal, string template, (StaffRight? Right, bool PersonOnly) rule)
    {
        if (principal == "no credentials")
        {
            return HttpStatusCode.Redirect;
        }
        var isKey = principal.EndsWith(" key", StringComparison.Ordinal);
        if (isKey && rule.PersonOnly)
        {
            return HttpStatusCode.Redirect;
        }
        var role = principal switch
        {
            "owner" or "other company's owner" => StaffRole.Owner,
            "admin" or "admin key" => StaffRole.Admin,
            _ => StaffRole.Member,
        };
        if (rule.Right is { } right && !StaffPermissions.Can(role, right))
        {
            return HttpStatusCode.Forbidden;
        }
        return principal == "other company's owner" && template.Contains('{', StringComparison.Ordinal)
            ? HttpStatusCode.NotFound
            : HttpStatusCode.OK;
    }

    private string Fill(string template) =>
        IdSegment().Replace(template, match => match.Groups["resource"].Value + "/" + (match.Groups["resource"].Value switch
        {
            "clients" => _scene.ClientId,
            "projects" => _scene.ProjectId,
            _ => Guid.NewGuid(),
        }));

    /// <summary>Every GET-able /staff page that needs a signed-in principal, as the app maps it.</summary>
    private List<string> SignedInPages() =>
        [.. _scene.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null
                && e.RoutePattern.RawText?.StartsWith("staff", StringComparison.Ordinal) == true
                && e.Metadata.GetMetadata<IAuthorizeData>() is not null
                && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => "/" + Constraint().Replace(e.RoutePattern.RawText!, "{${name}}"))
            .Distinct()
            .Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{(?<name>[^}:?]+)[^}]*\}")]
    private static partial Regex Constraint();

    [GeneratedRegex(@"(?<resource>[a-z-]+)/\{[^}]+\}")]
    private static partial Regex IdSegment();

    /// <summary>One company with an owner, an admin and a member signed in, two keys, a client and a project; another company; no one.</summary>
    public sealed class Scene : IAsyncLifetime
    {
        private readonly List<IDisposable> _owned = [];

        public PortalTestHost Host { get; private set; } = null!;
        public Guid CompanyId { get; private set; }
        public Guid ClientId { get; private set; }
        public Guid ProjectId { get; private set; }
        public Dictionary<string, HttpClient> Principals { get; } = [];

        public async Task InitializeAsync()
        {
            Host = await PortalTestHost.StartAsync();
            var owner = await StaffSessionEndTests.SignUpAsync(Host, "Matrix Co", "owner@matrix.example");
            _owned.Add(owner);
            CompanyId = Guid.Parse((await owner.Http.GetOkAsync("/api/company")).Str("id"));
            await StaffSessionEndTests.AddMemberAsync(Host, CompanyId, "admin@matrix.example", StaffRole.Admin);
            await StaffSessionEndTests.AddMemberAsync(Host, CompanyId, "member@matrix.example", StaffRole.Member);
            var admin = await StaffSessionEndTests.SignInAsync(Host, "admin@matrix.example");
            var member = await StaffSessionEndTests.SignInAsync(Host, "member@matrix.example");
            var other = await StaffSessionEndTests.SignUpAsync(Host, "Elsewhere Ltd", "owner@elsewhere.example");
            _owned.AddRange([admin, member, other]);
            Principals["owner"] = owner.Http;
            Principals["admin"] = admin.Http;
            Principals["member"] = member.Http;
            Principals["other company's owner"] = other.Http;
            Principals["admin key"] = await KeyAsync(StaffRole.Admin);
            Principals["member key"] = await KeyAsync(StaffRole.Member);
            Principals["no credentials"] = Track(Host.CreateClient(followRedirects: false));

            var api = Principals["admin key"];
            ClientId = await api.CreateClientAsync("Matrix Client");
            (ProjectId, _) = await api.CreateProjectAsync(ClientId);
        }

        public async Task DisposeAsync()
        {
            _owned.ForEach(d => d.Dispose());
            await Host.DisposeAsync();
        }

        private async Task<HttpClient> KeyAsync(StaffRole role)
        {
            var key = ApiKeyAuthenticationHandler.NewKey();
            await Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IStaffDirectoryGrain>(Guid.Empty)
                .AddCompanyApiKey(CompanyId, ApiKeyAuthenticationHandler.HashKey(key), $"{role} key", role, null);
            var client = Track(Host.CreateClient(followRedirects: false));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }

        private HttpClient Track(HttpClient client)
        {
            _owned.Add(client);
            return client;
        }
    }
}
