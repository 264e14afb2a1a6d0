using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;

namespace Portal.Web.Links;

/// <summary>An issued link: the raw URL exists only here, on its way to an email or a staff member's clipboard.</summary>
public sealed record IssuedLink(Guid Id, string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues portal links: 256 random bits as base64url; only the SHA-256 of the token is stored (as the key of the
/// link grain).
/// </summary>
public sealed class PortalLinkIssuer(IGrainFactory grains, IOptions<PortalOptions> options, TimeProvider clock, PublicUrls urls)
{
    public async Task<IssuedLink> IssueAsync(Guid companyId, Guid clientId, LinkTarget target)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var hash = HashToken(token);
        var linkId = Guid.NewGuid();
        var expiresAt = clock.GetUtcNow() + options.Value.Links.Lifetime;

        // The link grain indexes itself on the company (for revoke-by-id) after its own write.
        await grains.GetGrain<IPortalLinkGrain>(hash).Issue(new IssuePortalLink(linkId, companyId, clientId, target, expiresAt));
        return new IssuedLink(linkId, urls.Absolute("/p/" + token), expiresAt);
    }

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
