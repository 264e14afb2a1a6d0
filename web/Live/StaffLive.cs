using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Portal.Web.Auth;

namespace Portal.Web.Live;

/// <summary>
/// Staff authentication for the live feed. Until staff accounts exist, staff prove themselves with the API key: tools
/// send it as <c>Authorization: Bearer</c> (the .NET SignalR client does so on WebSockets too); a script that must use
/// the <c>access_token</c> query (browsers cannot set headers on WebSockets) first exchanges the key for a short-lived
/// hub token (<see cref="LiveAccessTokens"/>), since the key itself is never accepted in a URL; and the
/// <c>/staff/feed</c> page asks for the key once in a form and keeps a staff session cookie (HttpOnly,
/// SameSite=Strict, 12 hours) holding the staff claims and the key's hash, never the key. Cookies and tokens are
/// re-checked against the staff directory on use, so removing the key ends them.
/// The JSON API under <c>/api</c> accepts the bearer key only.
/// </summary>
public static class StaffLive
{
    public const string Policy = "staff-live";
    public const string SessionScheme = "StaffSession";
    public const string QueryTokenScheme = "StaffHubToken";
    public const string CookieName = "portal_staff";
    public const string SignInPath = "/staff/sign-in";

    private const string KeyHashClaim = StaffClaims.KeyHash;

    public static readonly PathString[] HubPaths = ["/hubs/staff"];

    public static ClaimsPrincipal CreatePrincipal(StaffPrincipal staff, string keyHash, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, staff.Name),
                new Claim(StaffClaims.CompanyId, staff.CompanyId.ToString()),
                new Claim(ClaimTypes.Role, StaffClaims.StaffRole),
                new Claim(KeyHashClaim, keyHash),
            ],
            scheme));

    public static IServiceCollection AddStaffLiveAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, QueryTokenHandler>(QueryTokenScheme, null)
            .AddCookie(SessionScheme, options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Cookie.IsEssential = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = false;
                options.LoginPath = SignInPath;
                options.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidateKeyAsync,
                    // Hubs answer 401; pages go to the sign-in form.
                    OnRedirectToLogin = context =>
                    {
                        if (context.Request.Path.StartsWithSegments("/hubs"))
                        {
                            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        }
                        else
                        {
                            context.Response.Redirect(context.RedirectUri);
                        }
                        return Task.CompletedTask;
                    },
                    OnRedirectToAccessDenied = context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return Task.CompletedTask;
                    },
                };
            });
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

    private static async Task ValidateKeyAsync(CookieValidatePrincipalContext context)
    {
        var hash = context.Principal?.FindFirstValue(KeyHashClaim);
        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        if (hash is null || await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).AuthenticateApiKey(hash) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionScheme);
        }
    }

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
