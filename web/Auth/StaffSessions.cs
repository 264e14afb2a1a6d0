using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Portal.Web.Auth;

/// <summary>
/// A signed-in person's session: an HttpOnly, SameSite=Lax cookie (Secure over HTTPS, always outside Development)
/// holding their account, company, role and security stamp, sliding over 12 hours and never older than 14 days. Every
/// request re-reads the account: a changed password or role, leaving the company, or "Sign out everywhere" changes the
/// stamp, and the session is refused from its next request.
/// </summary>
public static class StaffSessions
{
    public const string Scheme = "StaffSession";
    public const string CookieName = "portal_staff";
    public const string SignInPath = "/staff/sign-in";
    public static readonly TimeSpan Sliding = TimeSpan.FromHours(12);
    public static readonly TimeSpan Absolute = TimeSpan.FromDays(14);

    internal const string StampClaim = "portal:stamp";
    private const string SignedInAtClaim = "portal:signed-in-at";

    public static ClaimsPrincipal CreatePrincipal(StaffUserView user, Guid companyId, StaffRole role, DateTimeOffset signedInAt) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, user.Name),
                new Claim(ClaimTypes.Email, user.Email),
                new Claim(StaffClaims.UserId, user.Id.ToString()),
                new Claim(StaffClaims.CompanyId, companyId.ToString()),
                new Claim(ClaimTypes.Role, StaffClaims.StaffRole),
                new Claim(StaffClaims.CompanyRole, StaffPermissions.Wire(role)),
                new Claim(StampClaim, user.SecurityStamp.ToString()),
                new Claim(SignedInAtClaim, signedInAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ],
            Scheme));

    public static AuthenticationBuilder AddStaffSessions(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.IsEssential = true;
            options.ExpireTimeSpan = Sliding;
            options.SlidingExpiration = true;
            options.LoginPath = SignInPath;
            options.AccessDeniedPath = "/error/403";
            options.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = ValidateAsync,
                // Hubs and the API answer 401/403; pages go to the sign-in form or the friendly 403 page.
                OnRedirectToLogin = context => AnswerOrRedirect(context, StatusCodes.Status401Unauthorized),
                OnRedirectToAccessDenied = context => AnswerOrRedirect(context, StatusCodes.Status403Forbidden),
            };
        });

    private static Task AnswerOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/hubs") || context.Request.Path.StartsWithSegments("/api")
            || status == StatusCodes.Status403Forbidden)
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        var clock = context.HttpContext.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        if (principal?.GetUserId() is not { } userId
            || !long.TryParse(principal.FindFirstValue(SignedInAtClaim), CultureInfo.InvariantCulture, out var signedInAt)
            || clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(signedInAt) > Absolute
            || await grains.GetGrain<IStaffUserGrain>(userId).Find() is not { } user
            || user.SecurityStamp.ToString() != principal.FindFirstValue(StampClaim)
            || user.RoleIn(principal.GetCompanyId()) is not { } role
            || StaffPermissions.Wire(role) != principal.FindFirstValue(StaffClaims.CompanyRole))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
