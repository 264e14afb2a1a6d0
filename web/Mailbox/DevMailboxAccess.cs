using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Portal.Silo.Mail;
using Portal.Web.Auth;
using Portal.Web.Links;

namespace Portal.Web.Mailbox;

/// <summary>
/// Who may open the dev mailbox: staff with the API key (<c>Authorization: Bearer</c>), or a browser that came
/// through the entry link printed in the start-up banner. That link carries a random token made at every start
/// (never stored, never logged); opening it sets a short-lived, HttpOnly, SameSite=Strict cookie limited to
/// <c>/dev/mailbox</c> and redirects to the mailbox without the token.
/// </summary>
public sealed class DevMailboxAccess(IServiceProvider services, PublicUrls urls, TimeProvider clock)
{
    public const string Scheme = "DevMailbox";
    public const string CookieName = "portal_mailbox";
    public const string BasePath = "/dev/mailbox";
    public const string EnterPath = BasePath + "/enter";
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(8);

    private readonly string _token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>True where the embedded SMTP server runs (embedded mode with <c>Portal:Smtp:Embedded</c>).</summary>
    public bool Enabled => services.GetService<DevMailbox>() is not null;

    /// <summary>The link for the banner; valid until the process stops.</summary>
    public string EntryUrl => urls.Absolute($"{EnterPath}?token={_token}");

    public bool IsValidToken(string? candidate) =>
        candidate is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(_token));

    public Task SignInAsync(HttpContext context)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "Dev mailbox"), new Claim(ClaimTypes.Role, StaffClaims.StaffRole)], Scheme);
        return context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IsPersistent = false,
            ExpiresUtc = clock.GetUtcNow() + CookieLifetime,
            AllowRefresh = false,
        });
    }

    /// <summary>Staff by the mailbox cookie, a signed-in session or the API key.</summary>
    public static async Task<bool> IsStaffAsync(HttpContext context)
    {
        foreach (var scheme in new[] { Scheme, StaffSessions.Scheme, ApiKeyAuthenticationHandler.SchemeName })
        {
            var result = await context.AuthenticateAsync(scheme);
            if (result.Succeeded && result.Principal.IsInRole(StaffClaims.StaffRole))
            {
                return true;
            }
        }
        return false;
    }
}

public static class DevMailboxSetup
{
    public static IServiceCollection AddDevMailboxAccess(this IServiceCollection services)
    {
        services.AddSingleton<DevMailboxAccess>();
        services.AddAuthentication().AddCookie(DevMailboxAccess.Scheme, options =>
        {
            options.Cookie.Name = DevMailboxAccess.CookieName;
            options.Cookie.Path = DevMailboxAccess.BasePath;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = DevMailboxAccess.CookieLifetime;
            options.SlidingExpiration = false;
            options.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                },
            };
        });
        return services;
    }
}
