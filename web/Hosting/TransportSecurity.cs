using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Portal.Web.Hosting;

/// <summary>
/// Cookies and HSTS in one place. Outside Development every cookie Portal sets (client session, staff session,
/// dev mailbox, antiforgery) is Secure, so it never travels over plain HTTP, and HTTPS answers carry
/// Strict-Transport-Security. <c>Portal:SecureCookies=false</c> exists only for test hosts speaking plain HTTP on
/// loopback; Development (the <c>dotnet run</c> profile) defaults to it.
/// </summary>
public static class TransportSecurity
{
    public const string SecureCookiesKey = "Portal:SecureCookies";

    public static bool SecureCookies(WebApplicationBuilder builder) =>
        builder.Configuration.GetValue<bool?>(SecureCookiesKey) ?? !builder.Environment.IsDevelopment();

    public static void AddPortalTransportSecurity(this WebApplicationBuilder builder)
    {
        var policy = SecureCookies(builder) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        builder.Services.PostConfigureAll<CookieAuthenticationOptions>(o => o.Cookie.SecurePolicy = policy);
        builder.Services.PostConfigure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = policy);
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false; // the portal's host only; the business may run other sites under its domain
        });
    }

    /// <summary>HSTS on HTTPS answers (directly or through a trusted proxy), except in Development.</summary>
    public static void UsePortalTransportSecurity(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
    }
}
