using Portal.Domain;

namespace Portal.Tests.Domain;

public class ClientStateTests
{
    [Fact]
    public void Creating_a_client_keeps_trimmed_details()
    {
        var state = new ClientState();
        state.Create(Guid.NewGuid(), new ClientDetails(" Jane Smith ", "jane@example.com", " ", "1 High St"), Sample.Now);
        var view = state.ToView(Guid.NewGuid());
        Assert.Equal("Jane Smith", view.Name);
        Assert.Null(view.Phone);
    }

    [Fact]
    public void Creating_twice_is_refused()
    {
        var state = new ClientState();
        state.Create(Guid.NewGuid(), new ClientDetails("Jane", "jane@example.com"), Sample.Now);
        Refuse.Unchanged(state, "client.exists", RuleKind.Conflict, () => state.Create(Guid.NewGuid(), new ClientDetails("Jo", "jo@example.com"), Sample.Now));
    }

    [Fact]
    public void A_bad_email_or_empty_name_is_refused()
    {
        var state = new ClientState();
        Refuse.Unchanged(state, "validation.email", RuleKind.Invalid, () => state.Create(Guid.NewGuid(), new ClientDetails("Jane", "jane"), Sample.Now));
        Refuse.Unchanged(state, "validation.name", RuleKind.Invalid, () => state.Create(Guid.NewGuid(), new ClientDetails("", "jane@example.com"), Sample.Now));
    }

    [Fact]
    public void All_projects_splits_open_and_complete_newest_first()
    {
        var state = new ClientState();
        state.Create(Guid.NewGuid(), new ClientDetails("Jane", "jane@example.com"), Sample.Now);
        var first = Guid.NewGuid();
        state.TrackProject(new ClientProjectEntry(first, 1001, "Kitchen", ProjectStatus.Open));
        state.TrackProject(new ClientProjectEntry(Guid.NewGuid(), 1002, "Bathroom", ProjectStatus.Open));
        Assert.False(state.TrackProject(new ClientProjectEntry(first, 1001, "Kitchen", ProjectStatus.Open)));
        state.TrackProject(new ClientProjectEntry(first, 1001, "Kitchen", ProjectStatus.Complete));

        var projects = state.ToProjectsView();
        Assert.Equal([1002], projects.Open.Select(p => p.Number));
        Assert.Equal([1001], projects.Complete.Select(p => p.Number));
    }
}

public class StaffDirectoryStateTests
{
    private static readonly string KeyHash = Hashing.Sha256Hex("secret-api-key");

    [Fact]
    public void An_added_api_key_authenticates_by_its_hash_only()
    {
        var state = new StaffDirectoryState();
        var company = Guid.NewGuid();
        state.SetCompany(company);
        Assert.True(state.AddApiKey(KeyHash.ToUpperInvariant(), "CI", Sample.Now));
        Assert.False(state.AddApiKey(KeyHash, "CI again", Sample.Now));

        Assert.Equal(new StaffPrincipal(company, "CI", null) { KeyId = StaffDirectoryState.IdOf(KeyHash) }, state.AuthenticateApiKey(KeyHash));
        Assert.Null(state.AuthenticateApiKey(Hashing.Sha256Hex("other")));
        Assert.Null(state.AuthenticateApiKey("secret-api-key"));
        Assert.True(state.ToView().HasApiKey);
    }

    [Fact]
    public void Keys_are_listed_by_an_id_that_is_neither_the_key_nor_its_hash()
    {
        var state = new StaffDirectoryState();
        state.SetCompany(Guid.NewGuid());
        state.AddApiKey(KeyHash, "CI", Sample.Now);

        var key = Assert.Single(state.ListApiKeys());
        Assert.Equal(new ApiKeyView(StaffDirectoryState.IdOf(KeyHash), "CI", Sample.Now), key);
        Assert.Equal(key, state.FindApiKey(KeyHash.ToUpperInvariant()));
        Assert.DoesNotContain(key.Id.ToString("N"), KeyHash, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_removed_key_no_longer_authenticates()
    {
        var state = new StaffDirectoryState();
        state.SetCompany(Guid.NewGuid());
        var other = Hashing.Sha256Hex("another-api-key");
        state.AddApiKey(KeyHash, "CI", Sample.Now);
        state.AddApiKey(other, "Deploys", Sample.Now);

        state.RemoveApiKey(StaffDirectoryState.IdOf(KeyHash));

        Assert.Null(state.AuthenticateApiKey(KeyHash));
        Assert.NotNull(state.AuthenticateApiKey(other));
        Assert.Equal(["Deploys"], state.ListApiKeys().Select(k => k.Label));
    }

    [Fact]
    public void Removing_the_last_or_an_unknown_key_is_refused()
    {
        var state = new StaffDirectoryState();
        state.SetCompany(Guid.NewGuid());
        state.AddApiKey(KeyHash, "CI", Sample.Now);

        Refuse.Unchanged(state, "apikey.last", RuleKind.Conflict, () => state.RemoveApiKey(StaffDirectoryState.IdOf(KeyHash)));
        Refuse.Unchanged(state, "apikey.not_found", RuleKind.NotFound, () => state.RemoveApiKey(Guid.NewGuid()));
        Assert.NotNull(state.AuthenticateApiKey(KeyHash));
    }

    [Fact]
    public void Adding_a_key_before_the_company_is_set_is_refused()
    {
        var state = new StaffDirectoryState();
        Refuse.Unchanged(state, "staff.company_not_set", RuleKind.Conflict, () => state.AddApiKey(KeyHash, "CI", Sample.Now));
    }

    [Fact]
    public void A_key_that_is_not_a_sha256_hash_is_refused()
    {
        var state = new StaffDirectoryState();
        state.SetCompany(Guid.NewGuid());
        Refuse.Unchanged(state, "validation.key_hash", RuleKind.Invalid, () => state.AddApiKey("plain-key", "CI", Sample.Now));
    }

    [Fact]
    public void The_company_is_set_once()
    {
        var state = new StaffDirectoryState();
        var company = Guid.NewGuid();
        Assert.True(state.SetCompany(company));
        Assert.False(state.SetCompany(company));
        Refuse.Unchanged(state, "staff.company_already_set", RuleKind.Conflict, () => state.SetCompany(Guid.NewGuid()));
    }

    [Fact]
    public void The_first_admin_is_set_once_and_found_by_email_case_insensitively()
    {
        var state = new StaffDirectoryState();
        Assert.True(state.SetAdmin("admin@example.com", "$pbkdf2$x"));
        Assert.False(state.SetAdmin("ADMIN@example.com", "$pbkdf2$x"));
        Refuse.Unchanged(state, "staff.admin_exists", RuleKind.Conflict, () => state.SetAdmin("other@example.com", "$pbkdf2$y"));

        Assert.Equal("$pbkdf2$x", state.FindAdminPasswordHash("Admin@Example.com"));
        Assert.Null(state.FindAdminPasswordHash("other@example.com"));
    }

    [Fact]
    public void Demo_seeding_is_remembered()
    {
        var state = new StaffDirectoryState();
        Assert.True(state.MarkDemoSeeded());
        Assert.False(state.MarkDemoSeeded());
        Assert.True(state.ToView().DemoSeeded);
    }
}
