using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Auth;

namespace Portal.Tests.Functional;

/// <summary>
/// Invitations and password resets by email (256-bit links stored hashed, single use, 72 hours and 1 hour), the team
/// API and page: who may invite, change and remove, and refusals that change nothing.
/// </summary>
[Trait("Category", "Security")]
public sealed partial class StaffInvitationTests : IAsyncLifetime
{
    private const string Password = "plum tree ladder window";
    private const string NewPassword = "copper kettle on a hill";
    private readonly ShiftedClock _clock = new();
    private TestSmtpServer _smtp = null!;
    private PortalTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _smtp = await TestSmtpServer.StartAsync();
        _host = await PortalTestHost.StartAsync(
            settings: MailHostFixture.SmtpSettings(_smtp.Port),
            configure: b => b.Services.AddSingleton<TimeProvider>(_clock));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task An_invited_person_accepts_the_emailed_link_lands_signed_in_as_a_member_and_cannot_replay_it()
    {
        var (companyId, owner) = await SignUpAsync("Patel Plumbing", "Sam Patel", "sam@patel.example");
        using var _ = owner;

        var invitation = await SendAsync(owner, HttpMethod.Post, "/api/team/invitations", new { email = "jo@patel.example", role = "member" });
        Assert.Equal(HttpStatusCode.Created, invitation.StatusCode);
        var body = await invitation.ReadJsonAsync();
        Assert.Equal(("jo@patel.example", "member"), (body.Str("email"), body.Str("role")));
        Assert.InRange(DateTimeOffset.Parse(body.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture) - _clock.GetUtcNow(), TimeSpan.FromHours(71.9), TimeSpan.FromHours(72));

        var mail = await _smtp.WaitForAsync("jo@patel.example");
        Assert.Equal("Sam Patel invited you to join Patel Plumbing on Portal", mail.Subject);
        var path = LinkIn(mail.Text, "/staff/invite/");

        using var invited = new PortalBrowser(_host);
        var (status, page) = await invited.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Your name", page, StringComparison.Ordinal);
        Assert.Contains(">Join</button>", page, StringComparison.Ordinal);

        var token = await invited.TokenFromAsync(path);
        using (var weak = await invited.Http.PostAsync(path, Form(token, ("name", "Jo Field"), ("password", "short"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        }
        using (var joined = await invited.Http.PostAsync(path, Form(token, ("name", "Jo Field"), ("password", Password))))
        {
            Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
            Assert.Equal("/staff/feed", joined.Headers.Location?.OriginalString);
        }
        Assert.Equal("Patel Plumbing", (await invited.Http.GetOkAsync("/api/company")).Str("name"));
        var team = (await owner.Http.GetOkAsync("/api/team")).AsArray();
        var jo = Assert.Single(team, m => m!.Str("email") == "jo@patel.example")!;
        Assert.Equal(("Jo Field", "member"), (jo.Str("name"), jo.Str("role")));
        Assert.Equal(StaffRole.Member, (await Grains.GetGrain<ICompanyTeamGrain>(companyId).List()).Single(m => m.Email == "jo@patel.example").Role);

        // Used once: a second person with the same link is refused, and nothing changes.
        using var replay = new PortalBrowser(_host);
        var (replayStatus, replayPage) = await replay.GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, replayStatus);
        Assert.Contains("already been used", replayPage, StringComparison.Ordinal);
        var replayToken = await replay.TokenFromAsync("/staff/sign-in");
        using (var again = await replay.Http.PostAsync(path, Form(replayToken, ("name", "Mallory"), ("password", NewPassword))))
        {
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        }
        Assert.Equal(2, (await Grains.GetGrain<ICompanyTeamGrain>(companyId).List()).Count);
    }

    [Fact]
    public async Task An_invitation_expires_after_72_hours_and_an_unknown_one_answers_404()
    {
        var (_, owner) = await SignUpAsync("Expiry Co", "Eve Owner", "eve@expiry.example");
        using var _ = owner;
        using (var sent = await SendAsync(owner, HttpMethod.Post, "/api/team/invitations", new { email = "late@expiry.example", role = "admin" }))
        {
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        }
        var path = LinkIn((await _smtp.WaitForAsync("late@expiry.example")).Text, "/staff/invite/");

        using var invited = new PortalBrowser(_host);
        var token = await invited.TokenFromAsync(path);
        _clock.Advance(TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1));
        var (status, page) = await invited.GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("has expired", page, StringComparison.Ordinal);
        using (var late = await invited.Http.PostAsync(path, Form(token, ("name", "Late"), ("password", Password))))
        {
            Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        }
        Assert.Null(await Grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf("late@expiry.example")).Find());

        var (unknown, _) = await invited.GetAsync("/staff/invite/" + StaffTickets.NewToken());
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task Someone_with_an_account_joins_with_that_accounts_password()
    {
        var (_, elsewhere) = await SignUpAsync("Other Co", "Kim Lee", "kim@other.example");
        elsewhere.Dispose();
        var (companyId, owner) = await SignUpAsync("Join Co", "Jay Owner", "jay@join.example");
        using var _ = owner;
        using (var sent = await SendAsync(owner, HttpMethod.Post, "/api/team/invitations", new { email = "KIM@other.example", role = "admin" }))
        {
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        }
        var path = LinkIn((await _smtp.WaitForAsync("kim@other.example")).Text, "/staff/invite/");

        using var kim = new PortalBrowser(_host);
        var (_, page) = await kim.GetAsync(path);
        Assert.Contains("already have a Portal account", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Your name", page, StringComparison.Ordinal);
        var token = await kim.TokenFromAsync(path);
        using (var wrong = await kim.Http.PostAsync(path, Form(token, ("password", "not kim's password"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }
        using (var joined = await kim.Http.PostAsync(path, Form(token, ("password", Password))))
        {
            Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        }
        Assert.Equal("Join Co", (await kim.Http.GetOkAsync("/api/company")).Str("name"));
        var userId = (await Grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf("kim@other.example")).Find())!.Value;
        Assert.Equal(2, (await Grains.GetGrain<IStaffUserGrain>(userId).Find())!.Memberships.Count);
        Assert.Equal(StaffRole.Admin, (await Grains.GetGrain<ICompanyTeamGrain>(companyId).List()).Single(m => m.UserId == userId).Role);
    }

    [Fact]
    public async Task Forgot_password_answers_the_same_for_an_unknown_email_and_the_reset_link_sets_a_password_once_and_ends_other_sessions()
    {
        var (_, owner) = await SignUpAsync("Reset Co", "Rae Owner", "rae@reset.example");
        using var _ = owner;
        await owner.Http.GetOkAsync("/api/company");

        var unknown = await ForgotAsync("nobody@reset.example");
        var known = await ForgotAsync("rae@reset.example");
        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(unknown.Status, known.Status);
        Assert.Equal(Answer(unknown.Body), Answer(known.Body));

        var mail = await _smtp.WaitForAsync("rae@reset.example");
        var path = LinkIn(mail.Text, "/staff/reset-password/");
        using var browser = new PortalBrowser(_host);
        var (status, page) = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("New password", page, StringComparison.Ordinal);
        Assert.Contains(">Set password</button>", page, StringComparison.Ordinal);
        var token = await browser.TokenFromAsync(path);
        using (var set = await browser.Http.PostAsync(path, Form(token, ("password", NewPassword))))
        {
            Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        }
        Assert.Equal("Reset Co", (await browser.Http.GetOkAsync("/api/company")).Str("name"));
        using (var ended = await owner.Http.GetAsync("/api/company"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync("rae@reset.example", NewPassword));

        // Used once: the link cannot set another password.
        using var replay = new PortalBrowser(_host);
        var (replayStatus, _) = await replay.GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, replayStatus);
        var replayToken = await replay.TokenFromAsync("/staff/sign-in");
        using (var again = await replay.Http.PostAsync(path, Form(replayToken, ("password", "a third password here"))))
        {
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync("rae@reset.example", NewPassword));
    }

    [Fact]
    public async Task A_reset_link_expires_after_an_hour_and_the_password_stays()
    {
        var (_, owner) = await SignUpAsync("Slow Co", "Sol Owner", "sol@slow.example");
        owner.Dispose();
        await ForgotAsync("sol@slow.example");
        var path = LinkIn((await _smtp.WaitForAsync("sol@slow.example")).Text, "/staff/reset-password/");

        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync(path);
        _clock.Advance(TimeSpan.FromMinutes(61));
        var (status, page) = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("has expired", page, StringComparison.Ordinal);
        using (var late = await browser.Http.PostAsync(path, Form(token, ("password", NewPassword))))
        {
            Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync("sol@slow.example", Password));
    }

    [Fact]
    public async Task A_member_cannot_invite_or_open_the_team_page_and_nothing_changes()
    {
        var (companyId, owner) = await SignUpAsync("Member Co", "Mo Owner", "mo@member.example");
        owner.Dispose();
        using var member = await JoinedAsync(companyId, "Mia Member", "mia@member.example", StaffRole.Member);
        var before = await Grains.GetGrain<ICompanyTeamGrain>(companyId).List();

        using (var invite = await SendAsync(member, HttpMethod.Post, "/api/team/invitations", new { email = "friend@member.example", role = "admin" }))
        {
            await invite.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
        }
        using (var list = await member.Http.GetAsync("/api/team"))
        {
            await list.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
        }
        var (status, _) = await member.GetAsync("/staff/team");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(before, await Grains.GetGrain<ICompanyTeamGrain>(companyId).List());
        Assert.Null(await Grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf("friend@member.example")).Find());
    }

    [Fact]
    public async Task An_admin_cannot_change_remove_or_invite_an_owner_and_another_companys_user_answers_404()
    {
        var (companyId, owner) = await SignUpAsync("Admin Co", "Ola Owner", "ola@admin.example");
        using var _ = owner;
        using var admin = await JoinedAsync(companyId, "Ada Admin", "ada@admin.example", StaffRole.Admin);
        var ownerId = (await Grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf("ola@admin.example")).Find())!.Value;
        var before = await Grains.GetGrain<ICompanyTeamGrain>(companyId).List();

        using (var demote = await SendAsync(admin, HttpMethod.Put, $"/api/team/{ownerId}", new { role = "member" }))
        {
            await demote.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
        }
        using (var remove = await SendAsync(admin, HttpMethod.Delete, $"/api/team/{ownerId}", null))
        {
            await remove.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
        }
        using (var invite = await SendAsync(admin, HttpMethod.Post, "/api/team/invitations", new { email = "boss@admin.example", role = "owner" }))
        {
            await invite.AssertProblemAsync(HttpStatusCode.Forbidden, RuleCodes.StaffForbidden);
        }
        var token = await admin.TokenFromAsync("/staff/team");
        using (var page = await admin.Http.PostAsync("/staff/team?handler=Remove", Form(token, ("userId", ownerId.ToString()))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        }
        Assert.Equal(before, await Grains.GetGrain<ICompanyTeamGrain>(companyId).List());

        // The installation's API key acts for another company: this team's people are unknown to it.
        using (var foreign = await _host.Api.PutAsJsonAsync($"/api/team/{ownerId}", new { role = "member" }))
        {
            await foreign.AssertProblemAsync(HttpStatusCode.NotFound, RuleCodes.StaffNotFound);
        }

        // The owner can: demote the admin, then remove them; their session ends.
        using (var demoted = await SendAsync(owner, HttpMethod.Put, $"/api/team/{before.Single(m => m.Role == StaffRole.Admin).UserId}", new { role = "member" }))
        {
            Assert.Equal("member", (await demoted.ReadJsonAsync()).Str("role"));
        }
        using (var removed = await SendAsync(owner, HttpMethod.Delete, $"/api/team/{before.Single(m => m.Role == StaffRole.Admin).UserId}", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        using var gone = await admin.Http.GetAsync("/api/company");
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }

    [Theory]
    [InlineData("/staff/invite/abcDEF_123-xyz", "/staff/invite/[token]")]
    [InlineData("/staff/reset-password/abcDEF_123-xyz", "/staff/reset-password/[token]")]
    [InlineData("/staff/team", "/staff/team")]
    public void One_time_staff_link_tokens_never_reach_a_log(string path, string logged) =>
        Assert.Equal(logged, Portal.Web.Hosting.LogRedaction.SafePath(new Microsoft.AspNetCore.Http.PathString(path)));

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    private static string LinkIn(string text, string prefix)
    {
        var match = LinkPattern().Match(text);
        Assert.True(match.Success, "no link in: " + text);
        var path = new Uri(match.Value).AbsolutePath;
        Assert.StartsWith(prefix, path, StringComparison.Ordinal);
        return path;
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/staff/(invite|reset-password)/[A-Za-z0-9_-]{43}")]
    private static partial Regex LinkPattern();

    private static string Answer(string body) =>
        body.Contains(System.Net.WebUtility.HtmlEncode(Portal.Web.Pages.Staff.ForgotPasswordModel.Answer), StringComparison.Ordinal) ? "sent" : "other";

    private static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    private static async Task<HttpResponseMessage> SendAsync(PortalBrowser browser, HttpMethod method, string path, object? body)
    {
        var token = await browser.TokenFromAsync("/staff/sign-in");
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", token);
        return await browser.Http.SendAsync(request);
    }

    private async Task<(Guid CompanyId, PortalBrowser Browser)> SignUpAsync(string company, string name, string email)
    {
        var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-up");
        using var response = await browser.Http.PostAsync("/staff/sign-up", Form(token,
            ("companyName", company), ("name", name), ("email", email), ("password", Password)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (Guid.Parse((await browser.Http.GetOkAsync("/api/company")).Str("id")), browser);
    }

    /// <summary>A person on the team with <paramref name="role"/>, signed in.</summary>
    private async Task<PortalBrowser> JoinedAsync(Guid companyId, string name, string email, StaffRole role)
    {
        var userId = Guid.NewGuid();
        Assert.Equal(userId, await Grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(email)).Claim(userId));
        await Grains.GetGrain<IStaffUserGrain>(userId).Create(name, email, _host.Services.GetRequiredService<StaffPasswords>().Hash(Password));
        await Grains.GetGrain<ICompanyTeamGrain>(companyId).Add(userId, name, email, role);
        var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-in");
        using var response = await browser.Http.PostAsync("/staff/sign-in", Form(token, ("email", email), ("password", Password)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    private async Task<(HttpStatusCode Status, string Body)> ForgotAsync(string email)
    {
        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/forgot-password");
        using var response = await browser.Http.PostAsync("/staff/forgot-password", Form(token, ("email", email)));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpStatusCode> SignInStatusAsync(string email, string password)
    {
        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-in");
        using var response = await browser.Http.PostAsync("/staff/sign-in", Form(token, ("email", email), ("password", password)));
        return response.StatusCode;
    }
}
