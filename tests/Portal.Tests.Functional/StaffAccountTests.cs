using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// Staff accounts over HTTP: sign-up makes a company and its owner, password sign-in with one answer for every failure
/// and a lockout, sessions that end when the account changes, the API on a session (with antiforgery) or a key, roles
/// enforced by the permission table with 403 <c>staff.forbidden</c>, and companies that cannot see each other.
/// </summary>
[Trait("Category", "Security")]
public sealed class StaffAccountTests : IAsyncLifetime
{
    private const string Password = "plum tree ladder window";
    private PortalTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Sign_up_creates_a_company_and_its_owner_signed_in_with_a_lax_http_only_cookie()
    {
        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-up");
        using var response = await browser.Http.PostAsync("/staff/sign-up", Form(token,
            ("companyName", "Patel Plumbing"), ("name", "Sam Patel"), ("email", "sam@patel.example"), ("password", Password)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/staff/feed", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("portal_staff=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var (status, feed) = await browser.GetAsync("/staff/feed");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Patel Plumbing", feed, StringComparison.Ordinal);

        // The session reaches the API as the owner of the new company, not the bootstrap one.
        var company = await browser.Http.GetOkAsync("/api/company");
        Assert.Equal("Patel Plumbing", company.Str("name"));
    }

    [Theory]
    [InlineData("short pw", "at least 10 characters")]
    [InlineData("1qaz2wsx3edc", "most common passwords")]
    public async Task Sign_up_refuses_weak_passwords_with_the_reason_and_creates_nothing(string password, string reason)
    {
        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-up");
        var email = $"weak.{Guid.NewGuid():N}@example.com";
        using var response = await browser.Http.PostAsync("/staff/sign-up", Form(token,
            ("companyName", "Weak Ltd"), ("name", "Wes"), ("email", email), ("password", password)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Null(await Grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(email)).Find());
    }

    [Fact]
    public async Task A_second_sign_up_with_the_same_email_is_refused()
    {
        await SignUpAsync("First Co", "dup@example.com");
        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-up");
        using var response = await browser.Http.PostAsync("/staff/sign-up", Form(token,
            ("companyName", "Second Co"), ("name", "Dee"), ("email", "DUP@example.com"), ("password", Password)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("already exists", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_answer_and_five_failures_lock_the_account()
    {
        await SignUpAsync("Lock Co", "lock@example.com");

        var unknown = await SignInAsync("nobody@example.com", Password);
        var wrong = await SignInAsync("lock@example.com", "not the password at all");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Equal(unknown.Status, wrong.Status);
        Assert.Contains(Html(Portal.Web.Pages.Staff.SignInModel.Refused), unknown.Body, StringComparison.Ordinal);
        Assert.Contains(Html(Portal.Web.Pages.Staff.SignInModel.Refused), wrong.Body, StringComparison.Ordinal);

        for (var i = 0; i < 4; i++)
        {
            await SignInAsync("lock@example.com", "still not the password");
        }
        // Locked: even the right password is refused, with the same words.
        var locked = await SignInAsync("lock@example.com", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.Status);
        Assert.Contains(Html(Portal.Web.Pages.Staff.SignInModel.Refused), locked.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bootstrap_admin_signs_in_like_anyone_as_the_owner_of_the_installation_company()
    {
        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-in");
        using var response = await browser.Http.PostAsync("/staff/sign-in", Form(token, ("email", "admin@portal.local"), ("password", "correct horse battery staple")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var company = await browser.Http.GetOkAsync("/api/company");
        Assert.Equal((await _host.Api.GetOkAsync("/api/company")).Str("id"), company.Str("id"));
        var team = await Grains.GetGrain<ICompanyTeamGrain>(Guid.Parse(company.Str("id"))).List();
        Assert.Equal(StaffRole.Owner, Assert.Single(team, m => m.Email == "admin@portal.local").Role);
    }

    [Fact]
    public async Task Unsafe_api_calls_on_a_session_need_the_antiforgery_token_and_keys_need_none()
    {
        using var browser = await SignedInAsync("Csrf Co", "csrf@example.com");

        using (var refused = await browser.Http.PostAsJsonAsync("/api/clients", new { name = "Forged", email = "forged@example.com" }))
        {
            await refused.AssertProblemAsync(HttpStatusCode.BadRequest, RuleCodes.RequestAntiforgery);
        }

        var token = await browser.TokenFromAsync("/staff/feed");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/clients") { Content = JsonContent.Create(new { name = "Real", email = "real@example.com" }) };
        request.Headers.Add("RequestVerificationToken", token);
        using var accepted = await browser.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);

        await _host.Api.PostOkAsync("/api/clients", new { name = "By key", email = "key@example.com" });
    }

    [Fact]
    public async Task A_member_key_does_work_and_reads_invoices_but_cannot_change_money_settings_or_keys()
    {
        var member = (await _host.Api.PostOkAsync("/api/api-keys", new { name = "Field tablet", role = "member" })).Str("key");
        var clientId = await _host.Api.CreateClientAsync();
        var (projectId, _) = await _host.Api.CreateProjectAsync(clientId);
        var (invoiceId, _) = await _host.Api.CreateInvoiceAsync(projectId);
        var before = await _host.Api.GetOkAsync($"/api/invoices/{invoiceId}");

        using var api = _host.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", member);

        // Work, proposals and reading invoices: allowed.
        await api.PostOkAsync("/api/clients", new { name = "Member's client", email = "mc@example.com" });
        await api.CreateQuoteAsync(projectId);
        await api.GetOkAsync($"/api/invoices/{invoiceId}");

        // Money, settings and keys: 403 staff.forbidden, and nothing changed.
        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Post, $"/api/invoices/{invoiceId}/payments", new { amount = 10m, method = "cash" }),
            (HttpMethod.Post, $"/api/invoices/{invoiceId}/void", null),
            (HttpMethod.Post, $"/api/projects/{projectId}/invoices", new { dueDate = "2027-01-01", lines = Scenario.TwoLines }),
            (HttpMethod.Put, "/api/company", new { name = "Taken over" }),
            (HttpMethod.Get, "/api/api-keys", null),
            (HttpMethod.Post, "/api/api-keys", new { name = "Escalate", role = "admin" }),
        })
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await api.SendAsync(request);
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
        }
        var after = await _host.Api.GetOkAsync($"/api/invoices/{invoiceId}");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        Assert.NotEqual("Taken over", (await _host.Api.GetOkAsync("/api/company")).Str("name"));
    }

    [Fact]
    public async Task Another_companys_ids_answer_404_and_its_keys_are_not_listed()
    {
        var clientId = await _host.Api.CreateClientAsync("Bootstrap's client");
        using var other = await SignedInAsync("Other Co", "other@example.com");

        using (var response = await other.Http.GetAsync($"/api/clients/{clientId}"))
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound, RuleCodes.ClientNotFound);
        }
        var keys = (await other.Http.GetOkAsync("/api/api-keys")).AsArray();
        Assert.Empty(keys);
    }

    [Fact]
    public async Task A_changed_password_or_role_ends_the_persons_other_sessions_at_their_next_request()
    {
        using var browser = await SignedInAsync("Stamp Co", "stamp@example.com");
        await browser.Http.GetOkAsync("/api/company");
        var userId = (await Grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf("stamp@example.com")).Find())!.Value;

        await Grains.GetGrain<IStaffUserGrain>(userId).SetPassword("new-hash-from-elsewhere");
        using (var refused = await browser.Http.GetAsync("/api/company"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        var (_, page) = await browser.GetAsync("/staff/feed");
        Assert.DoesNotContain("Live feed</h1>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_in_two_companies_picks_one_after_signing_in_and_can_switch()
    {
        var (first, _) = await SignUpAsync("Alpha Co", "two@example.com");
        var (second, _) = await SignUpAsync("Beta Co", "beta-owner@example.com");
        var userId = (await Grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf("two@example.com")).Find())!.Value;
        await Grains.GetGrain<ICompanyTeamGrain>(second).Add(userId, "Two", "two@example.com", StaffRole.Member);

        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-in");
        using (var signIn = await browser.Http.PostAsync("/staff/sign-in", Form(token, ("email", "two@example.com"), ("password", Password))))
        {
            Assert.StartsWith("/staff/companies", signIn.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        var (status, picker) = await browser.GetAsync("/staff/companies");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Alpha Co", picker, StringComparison.Ordinal);
        Assert.Contains("Beta Co", picker, StringComparison.Ordinal);

        var pickToken = await browser.TokenFromAsync("/staff/companies");
        using (var pick = await browser.Http.PostAsync("/staff/companies", Form(pickToken, ("companyId", second.ToString()))))
        {
            Assert.Equal(HttpStatusCode.Redirect, pick.StatusCode);
        }
        Assert.Equal("Beta Co", (await browser.Http.GetOkAsync("/api/company")).Str("name"));

        // Someone else's company is not offered and cannot be picked.
        var foreign = await SignUpAsync("Gamma Co", "gamma@example.com");
        var again = await browser.TokenFromAsync("/staff/companies");
        using var refused = await browser.Http.PostAsync("/staff/companies", Form(again, ("companyId", foreign.CompanyId.ToString())));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal([first, second], (await Grains.GetGrain<IStaffUserGrain>(userId).Find())!.Memberships.Select(m => m.CompanyId));
    }

    [Fact]
    public async Task Sign_up_is_closed_when_configured_so()
    {
        await using var closed = await PortalTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Portal:SignUp:Open"] = "false" });
        using var browser = new PortalBrowser(closed);
        var (status, body) = await browser.GetAsync("/staff/sign-up");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Sign-up is closed here", body, StringComparison.Ordinal);
    }

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);

    private static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    private async Task<(Guid CompanyId, PortalBrowser Browser)> SignUpAsync(string company, string email)
    {
        var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-up");
        using var response = await browser.Http.PostAsync("/staff/sign-up", Form(token,
            ("companyName", company), ("name", "Owner of " + company), ("email", email), ("password", Password)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = Guid.Parse((await browser.Http.GetOkAsync("/api/company")).Str("id"));
        return (id, browser);
    }

    private async Task<PortalBrowser> SignedInAsync(string company, string email) => (await SignUpAsync(company, email)).Browser;

    private async Task<(HttpStatusCode Status, string Body)> SignInAsync(string email, string password)
    {
        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-in");
        using var response = await browser.Http.PostAsync("/staff/sign-in", Form(token, ("email", email), ("password", password)));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
