using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Portal.Web.Auth;

/// <summary>Staff authenticate to the JSON API with <c>Authorization: Bearer &lt;api key&gt;</c>; only the key's SHA-256 is stored.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    FailureLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = header["Bearer ".Length..].Trim();
        if (key.StartsWith(Live.LiveAccessTokens.Prefix, StringComparison.Ordinal))
        {
            // A hub access token, not a key: the hubs' token scheme reads it.
            return AuthenticateResult.NoResult();
        }
        // Keys are at most a few dozen characters; anything far longer is not one and is not hashed.
        var principal = key.Length is > 0 and <= MaxKeyLength
            ? await grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty).AuthenticateApiKey(HashKey(key))
            : null;
        if (principal is null)
        {
            CredentialFailures.Record(Context, failures);
            return AuthenticateResult.Fail("Unknown API key.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, principal.Name),
                new Claim(StaffClaims.CompanyId, principal.CompanyId.ToString()),
                new Claim(ClaimTypes.Role, StaffClaims.StaffRole),
                new Claim(StaffClaims.CompanyRole, StaffPermissions.Wire(principal.Role)),
                new Claim(StaffClaims.KeyHash, HashKey(key)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The longest value treated as a key.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>A new API key: <c>pk_</c> and 256 random bits as base64url (46 characters).</summary>
    public static string NewKey() => KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public const string KeyPrefix = "pk_";

    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

public static class StaffClaims
{
    public const string CompanyId = "portal:company";
    /// <summary>The default authentication scheme: the API key when a bearer header is sent, else the staff session.</summary>
    public const string DefaultScheme = "Staff";
    /// <summary>The SHA-256 of the API key the principal proved (never the key), re-checked wherever a session outlives the request.</summary>
    public const string KeyHash = "portal:staff-key";
    /// <summary>The principal's role in its company (<c>owner</c>, <c>admin</c>, <c>member</c>), which the permission table reads.</summary>
    public const string CompanyRole = "portal:company-role";
    /// <summary>A signed-in person's account id.</summary>
    public const string UserId = "portal:user";
    public const string StaffRole = "staff";
    public const string Policy = "staff";

    public static Guid GetCompanyId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(CompanyId), out var id)
            ? id
            : throw new InvalidOperationException("The staff principal has no company.");

    /// <summary>The principal's role in its company; a principal without one can do nothing a role grants.</summary>
    public static StaffRole? GetCompanyRole(this ClaimsPrincipal user) =>
        StaffPermissions.TryParse(user.FindFirstValue(CompanyRole), out var role) ? role : null;

    public static bool Can(this ClaimsPrincipal user, StaffRight right) =>
        user.GetCompanyRole() is { } role && StaffPermissions.Can(role, right);

    public static Guid? GetUserId(this ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(UserId), out var id) ? id : null;

    public static Actor ToActor(this ClaimsPrincipal user) =>
        new(ActorKind.Staff, null, user.Identity?.Name ?? "Staff", user.FindFirstValue(ClaimTypes.Email));
}

public static class AuthenticationSetup
{
    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services)
    {
        // Who a request is, before any policy asks: the bearer key when one is sent, otherwise a signed-in person's session
        // (so pages, their antiforgery tokens and the API all see the same principal).
        services.AddAuthentication(StaffClaims.DefaultScheme)
            .AddPolicyScheme(StaffClaims.DefaultScheme, "Staff", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : StaffSessions.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, CredentialFailures>();
        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(StaffClaims.Policy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, StaffSessions.Scheme)
                .RequireRole(StaffClaims.StaffRole));
        foreach (var right in Enum.GetValues<StaffRight>())
        {
            authorization.AddPolicy(StaffRights.PolicyFor(right), policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, StaffSessions.Scheme)
                .RequireRole(StaffClaims.StaffRole)
                .RequireAssertion(context => context.User.Can(right)));
        }
        services.AddSingleton<StaffPasswords>();
        services.AddSingleton<StaffAccounts>();
        services.AddSingleton<StaffTickets>();
        return services;
    }
}

/// <summary>Authorization policies, one per right of the permission table.</summary>
public static class StaffRights
{
    public static string PolicyFor(StaffRight right) => "staff-right:" + right;

    public static TBuilder RequireRight<TBuilder>(this TBuilder builder, StaffRight right) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyFor(right));
}
