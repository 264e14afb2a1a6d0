using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;

namespace Portal.Web.Links;

/// <summary>An issued link: the raw URL exists only here, on its way to an email or a staff member's clipboard.</summary>
public sealed record IssuedLink(Guid Id, string Url, DateTimeOffset ExpiresAt);

/// <summary>A link not yet issued: its URL (with the raw token), the SHA-256 of the token and when it will expire.</summary>
public sealed record PreparedLink(string Url, string TokenHash, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues portal links: 256 random bits as base64url; only the SHA-256 of the token is stored (as the key of the
/// link grain).
/// </summary>
public sealed class PortalLinkIssuer(IGrainFactory grains, IOptions<PortalOptions> options, TimeProvider clock, PublicUrls urls)
{
    /// <summary>A fresh token and its URL, for a caller that issues the link itself (a document send does).</summary>
    public PreparedLink Prepare()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new PreparedLink(urls.Absolute("/p/" + token), HashToken(token), clock.GetUtcNow() + options.Value.Links.Lifetime);
    }

    /// <param name="origin">Whether the link goes out in an email or to staff to hand over (staff see it in the client's list).</param>
    /// <param name="linkId">The link's id when it derives from what caused it; a new one otherwise.</param>
    public async Task<IssuedLink> IssueAsync(Guid companyId, Guid clientId, LinkTarget target, PortalLinkOrigin origin, Guid? linkId = null)
    {
        var link = Prepare();
        var id = linkId ?? Guid.NewGuid();

        // The link grain indexes itself on the company (for revoke-by-id) after its own write.
        await grains.GetGrain<IPortalLinkGrain>(link.TokenHash).Issue(new IssuePortalLink(id, companyId, clientId, target, link.ExpiresAt, origin));
        return new IssuedLink(id, link.Url, link.ExpiresAt);
    }

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
