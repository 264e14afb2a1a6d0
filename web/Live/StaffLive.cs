using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Portal.Web.Auth;

namespace Portal.Web.Live;

/// <summary>
/// Staff authentication for the live feed. Until a staff console with logins exists, staff prove themselves with
/// the API key: tools send it as <c>Authorization: Bearer</c> (the .NET SignalR client does so on WebSockets too);
/// the JavaScript client's <c>accessTokenProvider</c> sends it as the <c>access_token</c> query, accepted on the
/// staff hubs only; and the <c>/staff/feed</c> page asks for it once in a form and keeps a staff session cookie
/// (HttpOnly, SameSite=Strict, 12 hours) holding the staff claims and the key's hash, never the key. The cookie is
/// re-checked against the staff directory on every request, so removing the key ends the session.
/// The JSON API under <c>/api</c> keeps accepting the bearer key only.
/// </summary>
public static class StaffLive
{
    public const string Policy = "staff-live";
    public const string SessionScheme = "StaffSession";
    public const string QueryTokenScheme = "StaffHubToken";
    public const string CookieName = "portal_staff";
    public const string SignInPath = "/staff/sign-in";

    private const string KeyHashClaim = "portal:staff-key";

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

    /// <summary>The API key as the <c>access_token</c> query, on the staff hubs only (browsers cannot set headers on WebSockets).</summary>
    private sealed class QueryTokenHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IGrainFactory grains)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!HubPaths.Any(p => Request.Path.StartsWithSegments(p)) || Request.Query["access_token"] is not [{ } key, ..])
            {
                return AuthenticateResult.NoResult();
            }
            var staff = await AuthenticateKeyAsync(grains, key);
            return staff is null
                ? AuthenticateResult.Fail("Unknown API key.")
                : AuthenticateResult.Success(new AuthenticationTicket(
                    CreatePrincipal(staff, ApiKeyAuthenticationHandler.HashKey(key.Trim()), QueryTokenScheme), QueryTokenScheme));
        }
    }
}
