using Portal.Silo.Configuration;

namespace Portal.Tests.Functional;

/// <summary>Start-up refuses configuration that would leave the deployment easy to break into.</summary>
[Trait("Category", "Security")]
public sealed class SecurityConfigurationTests
{
    private static IReadOnlyList<string> Failures(Action<PortalOptions> configure)
    {
        var options = new PortalOptions();
        configure(options);
        var result = new PortalOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Theory]
    [InlineData("dev-key")]
    [InlineData("0123456789012345678901234567890")] // 31
    [InlineData("  0123456789012345678901234567890  ")] // 31 once trimmed
    public void A_configured_api_key_shorter_than_32_characters_is_refused(string key)
    {
        Assert.Contains(Failures(o => o.Bootstrap.ApiKey = key),
            f => f.StartsWith("Portal:Bootstrap:ApiKey must be at least 32 characters", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01234567890123456789012345678901")] // 32
    public void An_unset_or_long_enough_api_key_is_accepted(string? key)
    {
        Assert.Empty(Failures(o => o.Bootstrap.ApiKey = key));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")] // 5 bytes
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g")] // 33 bytes
    public void A_key_encryption_key_that_is_not_32_bytes_of_base64_is_refused_without_repeating_it(string key)
    {
        var failure = Assert.Single(Failures(o => o.DataProtection.KeyEncryptionKey = key));
        Assert.StartsWith("Portal:DataProtection:KeyEncryptionKey ", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(key, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")] // 32 bytes
    public void An_unset_or_32_byte_key_encryption_key_is_accepted(string? key)
    {
        Assert.Empty(Failures(o => o.DataProtection.KeyEncryptionKey = key));
    }
}
