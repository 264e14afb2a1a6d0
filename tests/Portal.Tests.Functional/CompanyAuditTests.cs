using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// Who did it: team, settings and API key changes go into the company's hash-chained audit log (<c>GET
/// /api/company/audit</c>, Administer right) naming the person or key, and staff actions in a project's activity name
/// the signed-in person or the API key.
/// </summary>
[Trait("Category", "Security")]
public sealed class CompanyAuditTests : IAsyncLifetime
{
    private PortalTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task Settings_key_and_team_changes_are_recorded_with_who_made_them_in_a_verified_chain()
    {
        using var owner = await StaffSessionEndTests.SignUpAsync(_host, "Audit Co", "owner@audit.example");
        const string ownerName = "Owner of Audit Co";
        var companyId = Guid.Parse((await owner.Http.GetOkAsync("/api/company")).Str("id"));
        var token = await owner.TokenFromAsync("/staff/feed");

        using (var settings = await SendAsync(owner, HttpMethod.Put, "/api/company", token, new { vatNumber = "GB123456789" }))
        {
            Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        }
        System.Text.Json.Nodes.JsonNode created;
        using (var add = await SendAsync(owner, HttpMethod.Post, "/api/api-keys", token, new { name = "Zapier", role = "member" }))
        {
            Assert.Equal(HttpStatusCode.Created, add.StatusCode);
            created = await add.ReadJsonAsync();
        }
        // A company keeps at least one key: a second one lets the first go.
        using (var spare = await SendAsync(owner, HttpMethod.Post, "/api/api-keys", token, new { name = "Spare", role = "admin" }))
        {
            Assert.Equal(HttpStatusCode.Created, spare.StatusCode);
        }
        using var memberKey = _host.CreateClient();
        memberKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Str("key"));
        using (var refused = await memberKey.GetAsync("/api/company/audit"))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
        }
        using (var remove = await SendAsync(owner, HttpMethod.Delete, $"/api/api-keys/{created.Id()}", token))
        {
            Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        }

        // Team changes through the team grain, as the owner (the request context names who acts, as the web sets it).
        StaffActing.Set(ownerName, "owner@audit.example");
        var memberId = await StaffSessionEndTests.AddMemberAsync(_host, companyId, "field@audit.example", StaffRole.Member);
        await Grains.GetGrain<ICompanyTeamGrain>(companyId).ChangeRole(StaffRole.Owner, memberId, StaffRole.Admin);
        await Grains.GetGrain<ICompanyTeamGrain>(companyId).Remove(StaffRole.Owner, memberId);

        var audit = await owner.Http.GetOkAsync("/api/company/audit");
        var entries = audit["entries"]!.AsArray();
        var ours = entries.Skip(entries.Count - 7).ToList();
        Assert.Equal(
            [AuditActions.SettingsChanged, AuditActions.ApiKeyAdded, AuditActions.ApiKeyAdded, AuditActions.ApiKeyRemoved, AuditActions.MemberAdded, AuditActions.RoleChanged, AuditActions.MemberRemoved],
            ours.Select(e => e!.Str("action")));
        Assert.All(ours, e => Assert.Equal(ownerName, e!.Str("actor")));
        Assert.Equal("vatNumber", ours[0]!.Str("detail"));
        Assert.Equal("Zapier (member)", ours[1]!.Str("detail"));
        Assert.Equal("Zapier", ours[3]!.Str("detail"));
        Assert.Contains("member → admin", ours[5]!.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e!["sequence"]!.GetValue<long>()));
        Assert.All(entries, e => Assert.Matches("^[0-9a-f]{64}$", e!.Str("hash")));
        var verification = audit["verification"]!;
        Assert.True(verification["ok"]!.GetValue<bool>());
        Assert.Equal(entries.Count, verification["entries"]!.GetValue<int>());
        Assert.Equal(entries[^1]!.Str("hash"), verification.Str("headHash"));

        // Another company's log is its own.
        var other = (await _host.Api.GetOkAsync("/api/company/audit"))["entries"]!.AsArray();
        Assert.DoesNotContain(other, e => e!.Str("actor") == ownerName);
    }

    [Fact]
    public async Task A_members_session_may_not_read_the_audit_log()
    {
        using var owner = await StaffSessionEndTests.SignUpAsync(_host, "Quiet Co", "owner@quiet.example");
        var companyId = Guid.Parse((await owner.Http.GetOkAsync("/api/company")).Str("id"));
        await StaffSessionEndTests.AddMemberAsync(_host, companyId, "member@quiet.example", StaffRole.Member);
        using var member = await StaffSessionEndTests.SignInAsync(_host, "member@quiet.example");
        using var refused = await member.Http.GetAsync("/api/company/audit");
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
    }

    [Fact]
    public async Task Staff_actions_in_a_projects_activity_name_the_signed_in_person_or_the_api_key()
    {
        using var admin = await StaffSessionEndTests.SignInAsync(_host, "admin@portal.local", "correct horse battery staple");
        var adminName = (await Grains.GetGrain<ICompanyTeamGrain>((await _host.Api.GetOkAsync("/api/company")).Id()).List())
            .Single(m => m.Email == "admin@portal.local").Name;
        var clientId = await _host.Api.CreateClientAsync();
        var (projectId, _) = await _host.Api.CreateProjectAsync(clientId);
        var (bySession, _) = await _host.Api.CreateQuoteAsync(projectId);
        var (byKey, _) = await _host.Api.CreateQuoteAsync(projectId);

        var token = await admin.TokenFromAsync("/staff/feed");
        using (var sent = await SendAsync(admin, HttpMethod.Post, $"/api/proposals/{bySession}/send", token))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }
        await _host.Api.SendAsync("proposals", byKey);

        var log = (await _host.Api.GetOkAsync($"/api/projects/{projectId}/activity")).AsArray();
        var sessionEntry = Assert.Single(log, e => e!.Str("type") == ActivityTypes.ProposalSent && e!.Str("documentId") == bySession.ToString());
        var keyEntry = Assert.Single(log, e => e!.Str("type") == ActivityTypes.ProposalSent && e!.Str("documentId") == byKey.ToString());
        Assert.Equal(adminName, sessionEntry!["by"]!.Str("name"));
        Assert.Equal("bootstrap", keyEntry!["by"]!.Str("name"));
    }

    private static async Task<HttpResponseMessage> SendAsync(PortalBrowser browser, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", token);
        return await browser.Http.SendAsync(request);
    }
}
