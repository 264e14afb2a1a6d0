using System.Text.Json;
using Portal.Domain;

namespace Portal.Tests.Domain;

/// <summary>Passkeys on a staff account: named, one per credential, removable, and a signature count that must go up.</summary>
[Trait("Category", "Security")]
public class StaffPasskeyStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static StaffUserState Account()
    {
        var state = new StaffUserState();
        state.Create("Sam Patel", "sam@patel.example", "hash", Guid.NewGuid(), Now);
        return state;
    }

    private static StaffPasskey Key(string id = "cred-1", uint count = 0, string name = "Laptop") => new(id, [1, 2, 3], count, name, Now, null);

    [Fact]
    public void A_passkey_is_added_once_with_a_trimmed_name_and_a_blank_name_is_refused()
    {
        var state = Account();
        Assert.True(state.AddPasskey(Key(name: "  Laptop  ")));
        Assert.False(state.AddPasskey(Key(name: "Other")));
        Assert.Equal("Laptop", Assert.Single(state.Passkeys).Name);
        Refuse.With(RuleCodes.ValidationName, RuleKind.Invalid, () => state.AddPasskey(Key("cred-2", name: " ")));
    }

    [Fact]
    public void An_account_holds_at_most_twenty_passkeys()
    {
        var state = Account();
        for (var i = 0; i < StaffUserState.MaxPasskeys; i++)
        {
            state.AddPasskey(Key($"cred-{i}"));
        }
        Refuse.With(RuleCodes.ValidationName, RuleKind.Invalid, () => state.AddPasskey(Key("one-too-many")));
    }

    [Fact]
    public void A_sign_in_needs_a_higher_signature_count_unless_the_authenticator_keeps_none()
    {
        var state = Account();
        state.AddPasskey(Key("counted", count: 5));
        state.AddPasskey(Key("uncounted", count: 0));

        Assert.False(state.RecordPasskeySignIn("counted", 5, Now));
        Assert.False(state.RecordPasskeySignIn("counted", 4, Now));
        Assert.True(state.RecordPasskeySignIn("counted", 6, Now.AddMinutes(1)));
        Assert.Equal(Now.AddMinutes(1), state.Passkeys[0].LastUsedAt);
        Assert.False(state.RecordPasskeySignIn("counted", 0, Now));

        Assert.True(state.RecordPasskeySignIn("uncounted", 0, Now));
        Assert.False(state.RecordPasskeySignIn("unknown", 9, Now));
    }

    [Fact]
    public void A_removed_passkey_is_gone_at_once()
    {
        var state = Account();
        state.AddPasskey(Key());
        Assert.True(state.RemovePasskey("cred-1"));
        Assert.False(state.RemovePasskey("cred-1"));
        Assert.False(state.RecordPasskeySignIn("cred-1", 1, Now));
    }

    [Fact]
    public void Passkeys_round_trip_through_storage_json_with_their_public_keys()
    {
        var state = Account();
        state.AddPasskey(new StaffPasskey("cred-1", [9, 8, 7, 6], 3, "Phone", Now, Now.AddDays(1)));
        var json = JsonSerializer.Serialize(state, StateJson.Options);
        var copy = JsonSerializer.Deserialize<StaffUserState>(json, StateJson.Options)!;
        var passkey = Assert.Single(copy.Passkeys);
        Assert.Equal(new byte[] { 9, 8, 7, 6 }, passkey.PublicKey);
        Assert.Equal(3u, passkey.SignCount);
        Assert.Equal(Now.AddDays(1), passkey.LastUsedAt);
        Assert.Equal(json, JsonSerializer.Serialize(copy, StateJson.Options));
    }
}
