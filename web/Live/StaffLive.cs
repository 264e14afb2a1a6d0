using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Portal.Web.Auth;

namespace Portal.Web.Live;

/// <summary>
/// Staff authentication for the live feed: a signed-in person's session cookie (<see cref="StaffSessions"/>), or an
/// API key. Tools send the key as <c>Authorization: Bearer</c> (the .NET SignalR client does so on WebSockets too); a
/// script that must use the <c>access_token</c> query (browsers cannot set headers on WebSockets) first exchanges the
/// key for a short-lived hub token (<see cref="LiveAccessTokens"/>), since the key itself is never accepted in a URL.
/// Sessions and tokens are re-checked on use, so a changed password or role, or a removed key, ends them.
/// </summary>
public static class StaffLive
{
    public const string Policy = "staff-live";
    public const string SessionScheme = StaffSessions.Scheme;
    public const string QueryTokenScheme = "StaffHubToken";
    public const string SignInPath = StaffSessions.SignInPath;

    private const string KeyHashClaim = StaffClaims.KeyHash;

    public static readonly PathString[] HubPaths = ["/hubs/staff"];

    public static ClaimsPrincipal CreatePrincipal(StaffPrincipal staff, string keyHash, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, staff.Name),
                new Claim(StaffClaims.CompanyId, staff.CompanyId.ToString()),
                new Claim(ClaimTypes.Role, StaffClaims.StaffRole),
                new Claim(StaffClaims.CompanyRole, StaffPermissions.Wire(staff.Role)),
                new Claim(KeyHashClaim, keyHash),
            ],
            scheme));

    public static IServiceCollection AddStaffLiveAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, QueryTokenHandler>(QueryTokenScheme, null)
            .AddStaffSessions();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, QueryTokenScheme, SessionScheme)
                .RequireRole(StaffClaims.StaffRole));
        return services;
    }

    /// <summary>The staff principal for a raw API key, or null when the key is unknown.</summary>
    public static async Task<StaffPrincipal?> AuthenticateKeyAsync(IGrainFactory grains, string key) =>
        string.IsNullOrWhiteSpace(key)
            ? null
            : await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).AuthenticateApiKey(ApiKeyAuthenticationHandler.HashKey(key.Trim()));

    /// <summary>
    /// A hub access token from <c>POST /api/live/token</c>, as the <c>access_token</c> query or a bearer header, on the
    /// staff hubs only. An API key in the query string is refused (and counted as a failed credential).
    /// </summary>
    private sealed class QueryTokenHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IGrainFactory grains,
        LiveAccessTokens tokens, FailureLimiter failures)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!HubPaths.Any(p => Request.Path.StartsWithSegments(p)))
            {
                return AuthenticateResult.NoResult();
            }
            string? token = Request.Query["access_token"] is [{ } query, ..] ? query : null;
            if (token is null)
            {
                string? header = Request.Headers.Authorization;
                if (header is null || !header.StartsWith("Bearer " + LiveAccessTokens.Prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return AuthenticateResult.NoResult();
                }
                token = header["Bearer ".Length..].Trim();
            }
            if (tokens.Read(token) is not { } staff
                || await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).AuthenticateApiKey(staff.KeyHash) is not { } current
                || current.CompanyId != staff.CompanyId)
            {
                CredentialFailures.Record(Context, failures);
                return AuthenticateResult.Fail("Not a valid hub access token (API keys are not accepted in the query string).");
            }
            return AuthenticateResult.Success(new AuthenticationTicket(
                CreatePrincipal(current, staff.KeyHash, QueryTokenScheme), QueryTokenScheme));
        }
    }
}
