using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Portal.Web.ClientPortal;

/// <summary>
/// The client's portal session: a cookie naming the client, the company and the link it came through. The link
/// is checked on every request, so revoking it ends open sessions at once.
/// </summary>
public static class ClientSession
{
    public const string Scheme = "PortalClient";
    public const string Policy = "portal-client";
    public const string CookieName = "portal_session";

    private const string ClientIdClaim = "portal:client";
    private const string CompanyIdClaim = "portal:company";
    private const string LinkIdClaim = "portal:link";
    private const string LinkHashClaim = "portal:link-hash";

    public static ClaimsPrincipal CreatePrincipal(PortalLinkView link, string linkHash, ClientView client) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClientIdClaim, link.ClientId.ToString()),
                new Claim(CompanyIdClaim, link.CompanyId.ToString()),
                new Claim(LinkIdClaim, link.LinkId.ToString()),
                new Claim(LinkHashClaim, linkHash),
                new Claim(ClaimTypes.Name, client.Name),
                new Claim(ClaimTypes.Email, client.Email),
            ],
            Scheme));

    public static Guid ClientId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClientIdClaim)!);
    public static Guid CompanyId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(CompanyIdClaim)!);
    public static Guid LinkId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(LinkIdClaim)!);
    public static string? LinkHash(this ClaimsPrincipal user) => user.FindFirstValue(LinkHashClaim);
    public static bool IsPortalClient(this ClaimsPrincipal user) => user.FindFirstValue(ClientIdClaim) is not null;

    public static Actor ToClientActor(this ClaimsPrincipal user) =>
        new(ActorKind.Client, user.ClientId(), user.FindFirstValue(ClaimTypes.Name) ?? "Client", user.FindFirstValue(ClaimTypes.Email));

    public static IServiceCollection AddClientSessions(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddCookie(Scheme, options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Cookie.IsEssential = true;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromDays(7);
                options.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidateLinkAsync,
                    // A page without a session is not a login form: it explains how to get a new link.
                    OnRedirectToLogin = context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
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
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireClaim(ClientIdClaim));
        return services;
    }

    private static async Task ValidateLinkAsync(CookieValidatePrincipalContext context)
    {
        var hash = context.Principal?.FindFirstValue(LinkHashClaim);
        if (hash is null)
        {
            context.RejectPrincipal();
            return;
        }
        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        try
        {
            await grains.GetGrain<IPortalLinkGrain>(hash).Resolve();
        }
        catch (PortalRuleViolation)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
