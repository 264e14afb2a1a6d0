using System.Security.Claims;
using Portal.Web.Auth;
using Portal.Web.Live;

namespace Portal.Web.Api;

/// <summary>
/// <c>POST /api/live/token</c>: a short-lived access token for the staff hub, for clients that can only pass a token in
/// the URL (SignalR's JavaScript client on WebSockets). The API key itself is never accepted there.
/// </summary>
public static class LiveTokenEndpoints
{
    public static void MapLiveTokenEndpoints(this RouteGroupBuilder api) =>
        api.MapPost("/live/token", (ClaimsPrincipal user, LiveAccessTokens tokens) =>
        {
            if (user.FindFirstValue(StaffClaims.KeyHash) is not { } keyHash)
            {
                // A signed-in person's browser opens the hub with its session cookie; tokens stand in for API keys only.
                throw PortalRuleViolation.Forbidden("Hub tokens are for API keys; a signed-in session opens the hub with its cookie.");
            }
            var (token, expiresAt) = tokens.Issue(user.GetCompanyId(), user.Identity?.Name ?? "Staff", keyHash);
            return TypedResults.Ok(new LiveTokenResponse(token, expiresAt));
        });
}
