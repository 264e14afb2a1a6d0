using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Mailbox;

namespace Portal.Tests.Browser;

/// <summary>
/// The staff journey in Chromium: an owner signs up and invites a member; the member accepts the invitation from the
/// dev mailbox in a second browser, lands signed in, cannot open the team page; the owner removes them and the
/// member's open live feed loses access at once.
/// </summary>
public sealed class StaffJourneyBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private PortalTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    [Trait("Category", "Security")]
    public async Task An_invited_member_joins_from_the_dev_mailbox_is_refused_the_team_page_and_loses_access_when_removed()
    {
        var root = _host.BaseUri.ToString().TrimEnd('/');
        await using var ownerContext = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 800 } });
        var owner = await ownerContext.NewPageAsync();
        await owner.GotoAsync($"{root}/staff/sign-up");
        await owner.GetByLabel("Company name").FillAsync("Oak & Ash Carpentry");
        await owner.GetByLabel("Your name").FillAsync("Olive Oak");
        await owner.GetByLabel("Email").FillAsync("olive@oak.example");
        await owner.GetByLabel("Password").FillAsync("sawdust and varnish");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await owner.WaitForURLAsync("**/staff/feed");

        await owner.GotoAsync($"{root}/staff/team");
        await owner.GetByLabel("Email").FillAsync("max@oak.example");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Visible(owner.GetByText("max@oak.example"));

        // The member, in another browser: the invitation in the dev mailbox, its link, "Your name", "Password", "Join".
        await using var memberContext = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 800 } });
        var mailbox = await memberContext.NewPageAsync();
        await mailbox.GotoAsync(_host.Services.GetRequiredService<DevMailboxAccess>().EntryUrl);
        var invitation = mailbox.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("invited you to join Oak & Ash Carpentry") });
        for (var attempt = 0; attempt < 50 && await invitation.CountAsync() == 0; attempt++)
        {
            await mailbox.WaitForTimeoutAsync(200);
            await mailbox.ReloadAsync();
        }
        await invitation.First.ClickAsync();
        var member = await mailbox.RunAndWaitForPopupAsync(() => mailbox.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("staff.invite.") }).First.ClickAsync());
        await member.GetByLabel("Your name").FillAsync("Max Fielding");
        await member.GetByLabel("Password").FillAsync("chisel mallet plane");
        await member.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await member.WaitForURLAsync("**/staff/**");

        // A member cannot open the team page: the friendly 403.
        var refused = await member.GotoAsync($"{root}/staff/team");
        Assert.Equal(403, refused!.Status);
        await Visible(member.GetByText("Your role does not allow it."));

        // The member watches the live feed; the owner removes them; the feed says so at once.
        await member.GotoAsync($"{root}/staff/feed");
        await Visible(member.Locator("#feed-status", new() { HasText = "Live" }));
        await owner.ReloadAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Remove Max Fielding" }).ClickAsync();
        await Visible(member.Locator("#feed-status", new() { HasText = "Signed out" }));
        await member.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "staff-member-removed.png") });

        // And the next request of that session is refused.
        await member.GotoAsync($"{root}/staff/feed");
        Assert.Contains("/staff/sign-in", member.Url, StringComparison.Ordinal);
    }

    private static Task Visible(ILocator locator) =>
        locator.First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15_000 });
}
