using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Portal.Web.Live;

/// <summary>
/// Short-lived access tokens for the staff hub. Browsers cannot put a header on a WebSocket, so SignalR's JavaScript
/// client sends its token in the query string, where proxies and access logs may keep it: that must not be the API
/// key. An authenticated call (<c>POST /api/live/token</c>) issues a token instead: the staff principal and the hash of
/// the key that proved it, with an expiry, sealed by Data Protection (the key ring is shared by every web node). A
/// token opens connections only until it expires and only while its key exists.
/// </summary>
public sealed class LiveAccessTokens(IDataProtectionProvider protection, TimeProvider clock, IOptions<LiveOptions> options)
{
    /// <summary>Every token starts with this, so the API key scheme can tell one from a key.</summary>
    public const string Prefix = "plt_";

    private readonly IDataProtector _protector = protection.CreateProtector("Portal.Live.AccessToken.v1");

    public TimeSpan Lifetime => options.Value.AccessTokenLifetime;

    public (string Token, DateTimeOffset ExpiresAt) Issue(Guid companyId, string name, string keyHash)
    {
        var expiresAt = clock.GetUtcNow() + Lifetime;
        var payload = JsonSerializer.Serialize(new Payload(companyId, name, keyHash, expiresAt.ToUnixTimeMilliseconds()));
        return (Prefix + _protector.Protect(payload), expiresAt);
    }

    /// <summary>The token's principal, or null when it is not one of ours, was altered or has expired.</summary>
    public (Guid CompanyId, string Name, string KeyHash)? Read(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 2_000)
        {
            return null;
        }
        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(_protector.Unprotect(token[Prefix.Length..]));
            return payload is null || clock.GetUtcNow().ToUnixTimeMilliseconds() >= payload.ExpiresAtMs
                ? null
                : (payload.CompanyId, payload.Name, payload.KeyHash);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed record Payload(Guid CompanyId, string Name, string KeyHash, long ExpiresAtMs);
}
