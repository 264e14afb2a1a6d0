using Portal.Domain;

namespace Portal.Tests.Domain;

[Trait("Category", "Security")]
public class StaffAccountTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(StaffRole.Owner, StaffRight.Work, true)]
    [InlineData(StaffRole.Admin, StaffRight.Work, true)]
    [InlineData(StaffRole.Member, StaffRight.Work, true)]
    [InlineData(StaffRole.Member, StaffRight.Proposals, true)]
    [InlineData(StaffRole.Member, StaffRight.ReadInvoices, true)]
    [InlineData(StaffRole.Owner, StaffRight.ChangeInvoices, true)]
    [InlineData(StaffRole.Admin, StaffRight.ChangeInvoices, true)]
    [InlineData(StaffRole.Member, StaffRight.ChangeInvoices, false)]
    [InlineData(StaffRole.Admin, StaffRight.Money, true)]
    [InlineData(StaffRole.Member, StaffRight.Money, false)]
    [InlineData(StaffRole.Owner, StaffRight.Administer, true)]
    [InlineData(StaffRole.Admin, StaffRight.Administer, true)]
    [InlineData(StaffRole.Member, StaffRight.Administer, false)]
    [InlineData(StaffRole.Owner, StaffRight.TransferOwnership, true)]
    [InlineData(StaffRole.Admin, StaffRight.TransferOwnership, false)]
    [InlineData(StaffRole.Member, StaffRight.TransferOwnership, false)]
    public void The_permission_table(StaffRole role, StaffRight right, bool allowed) =>
        Assert.Equal(allowed, StaffPermissions.Can(role, right));

    [Fact]
    public void Five_wrong_passwords_lock_the_account_for_15_minutes_and_a_right_one_clears_the_count()
    {
        var user = new StaffUserState();
        user.Create("Sam Patel", "sam@example.com", "hash", Guid.NewGuid(), Now);

        for (var i = 0; i < 4; i++)
        {
            user.RecordPasswordSignIn(false, Now);
        }
        Assert.Equal("hash", user.BeginPasswordSignIn(Now).PasswordHash);
        user.RecordPasswordSignIn(true, Now);
        Assert.Equal(0, user.FailedSignIns);

        for (var i = 0; i < 5; i++)
        {
            user.RecordPasswordSignIn(false, Now);
        }
        var locked = user.BeginPasswordSignIn(Now.AddMinutes(14));
        Assert.Null(locked.PasswordHash);
        Assert.Equal(Now.AddMinutes(15), locked.LockedUntil);
        // Failures while locked do not extend the lock.
        Assert.False(user.RecordPasswordSignIn(false, Now.AddMinutes(10)));
        Assert.Equal("hash", user.BeginPasswordSignIn(Now.AddMinutes(15)).PasswordHash);
    }

    [Fact]
    public void A_new_password_a_changed_role_or_leaving_a_company_takes_a_new_security_stamp()
    {
        var user = new StaffUserState();
        var first = Guid.NewGuid();
        var company = Guid.NewGuid();
        user.Create("Sam Patel", "sam@example.com", "hash", first, Now);

        Assert.True(user.SetMembership(company, StaffRole.Member, Guid.NewGuid()));
        Assert.Equal(first, user.SecurityStamp); // joining ends nothing
        Assert.False(user.SetMembership(company, StaffRole.Member, Guid.NewGuid()));

        var promoted = Guid.NewGuid();
        user.SetMembership(company, StaffRole.Admin, promoted);
        Assert.Equal(promoted, user.SecurityStamp);

        var password = Guid.NewGuid();
        user.SetPassword("hash2", password);
        Assert.Equal(password, user.SecurityStamp);

        var left = Guid.NewGuid();
        Assert.True(user.RemoveMembership(company, left));
        Assert.Equal(left, user.SecurityStamp);
        Assert.Empty(user.Memberships);
    }

    [Fact]
    public void A_team_keeps_one_owner_and_an_admin_cannot_touch_it()
    {
        var team = new CompanyTeamState();
        var owner = Guid.NewGuid();
        var admin = Guid.NewGuid();
        var member = Guid.NewGuid();

        Refuse.With(RuleCodes.StaffOwnerRequired, RuleKind.Conflict, () => team.Add(admin, "Ada", "ada@example.com", StaffRole.Admin, Now, out _));
        team.Add(owner, "Olive", "olive@example.com", StaffRole.Owner, Now, out _);
        team.Add(admin, "Ada", "ada@example.com", StaffRole.Admin, Now, out _);
        team.Add(member, "Max", "max@example.com", StaffRole.Member, Now, out _);
        Refuse.With(RuleCodes.StaffOwnerRequired, RuleKind.Conflict, () => team.Add(Guid.NewGuid(), "Two", "two@example.com", StaffRole.Owner, Now, out _));

        Refuse.With(RuleCodes.StaffForbidden, RuleKind.Forbidden, () => team.ChangeRole(StaffRole.Admin, owner, StaffRole.Member));
        Refuse.With(RuleCodes.StaffForbidden, RuleKind.Forbidden, () => team.Remove(StaffRole.Admin, owner));
        Refuse.With(RuleCodes.StaffForbidden, RuleKind.Forbidden, () => team.ChangeRole(StaffRole.Member, member, StaffRole.Admin));
        Refuse.With(RuleCodes.StaffForbidden, RuleKind.Forbidden, () => team.ChangeRole(StaffRole.Admin, member, StaffRole.Owner));
        Refuse.With(RuleCodes.StaffOwnerRequired, RuleKind.Conflict, () => team.Remove(StaffRole.Owner, owner));

        // An admin manages members; the owner hands ownership on, becoming an admin.
        Assert.Equal(StaffRole.Admin, Assert.Single(team.ChangeRole(StaffRole.Admin, member, StaffRole.Admin)).Role);
        var handed = team.ChangeRole(StaffRole.Owner, admin, StaffRole.Owner);
        Assert.Equal(2, handed.Count);
        Assert.Equal(StaffRole.Admin, team.Members.Single(m => m.UserId == owner).Role);
        Assert.Equal(StaffRole.Owner, team.Members.Single(m => m.UserId == admin).Role);
        Assert.Single(team.Members, m => m.Role == StaffRole.Owner);

        team.Remove(StaffRole.Admin, member);
        Assert.Equal(2, team.Members.Count);
    }
}
