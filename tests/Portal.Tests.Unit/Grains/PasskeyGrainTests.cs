namespace Portal.Tests.Grains;

/// <summary>Passkey challenges are single use and short-lived; the credential index follows the account.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Security")]
public class PasskeyGrainTests(PortalClusterFixture fixture) : GrainTestBase(fixture)
{
    [Fact]
    public async Task A_challenge_is_answered_once()
    {
        var grain = Grains.GetGrain<IPasskeyChallengeGrain>(Guid.NewGuid().ToString("N"));
        var challenge = new PasskeyChallenge("sign-in", null, "{}", Clock.GetUtcNow().AddMinutes(5));
        await grain.Put(challenge);
        Assert.Equal(challenge, await grain.Take());
        Assert.Null(await grain.Take());
        await Assert.ThrowsAsync<PortalRuleViolation>(() => grain.Put(challenge));
    }

    [Fact]
    public async Task An_expired_challenge_is_never_answered()
    {
        var grain = Grains.GetGrain<IPasskeyChallengeGrain>(Guid.NewGuid().ToString("N"));
        await grain.Put(new PasskeyChallenge("sign-in", null, "{}", Clock.GetUtcNow().AddSeconds(-1)));
        Assert.Null(await grain.Take());
    }

    [Fact]
    public async Task Removing_a_passkey_releases_its_credential_id()
    {
        var userId = Guid.NewGuid();
        var user = Grains.GetGrain<IStaffUserGrain>(userId);
        await user.Create("Sam Patel", $"sam.{userId:N}@example.com", "hash");
        var credentialId = Guid.NewGuid().ToString("N");
        Assert.Equal(userId, await Grains.GetGrain<IStaffPasskeyGrain>(credentialId).Claim(userId));
        await user.AddPasskey(new StaffPasskey(credentialId, [1, 2, 3], 0, "Laptop", default, null));
        Assert.Equal(userId, await Grains.GetGrain<IStaffPasskeyGrain>(credentialId).Claim(Guid.NewGuid()));

        Assert.True(await user.RemovePasskey(credentialId));
        Assert.Null(await Grains.GetGrain<IStaffPasskeyGrain>(credentialId).Find());
        Assert.Null(await user.FindPasskey(credentialId));
        Assert.Empty(await user.ListPasskeys());
    }
}
