using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;
using Portal.Web.Hosting;
using Portal.Web.Pages.Staff;

namespace Portal.Web.Auth;

/// <summary>
/// Passkeys (WebAuthn, verified by the Fido2 library): a signed-in person adds one under Security, and anyone signs in
/// with one from the sign-in page without typing an email (a discoverable credential). Each ceremony's challenge lives
/// in memory in its own grain for five minutes, is named by a random id in an HttpOnly cookie and is taken once: a
/// replayed or late answer finds nothing. The relying party id and the accepted origins come from
/// <c>Portal:Passkeys</c>, else <c>Portal:PublicBaseUrl</c>, else the request itself.
/// </summary>
public static class StaffPasskeys
{
    public const string Prefix = "/staff/security/passkeys";
    public const string ChallengeCookie = "portal_passkey";
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(5);
    public const string Refused = "That passkey did not sign you in. It may have been removed from your account; sign in with your email and password instead.";

    private const string RegisterPurpose = "register";
    private const string SignInPurpose = "sign-in";

    public static IEndpointRouteBuilder MapStaffPasskeys(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).ExcludeFromDescription().DisableAntiforgery();
        group.MapPost("/options", (Func<HttpContext, Task<IResult>>)RegistrationOptionsAsync);
        group.MapPost("/", (Func<HttpContext, Task<IResult>>)RegisterAsync);
        group.MapPost("/assertion/options", (Func<HttpContext, Task<IResult>>)SignInOptionsAsync).RequireRateLimiting(RateLimits.SignInPolicy);
        group.MapPost("/assertion", (Func<HttpContext, Task<IResult>>)SignInAsync).RequireRateLimiting(RateLimits.SignInPolicy);
        return app;
    }

    /// <summary>The relying party for this request: configured, else from the public base URL, else the request's host.</summary>
    public static Fido2Configuration ConfigurationFor(HttpContext http, PortalOptions options)
    {
        Uri? publicBase = Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var parsed) ? parsed : null;
        var rpId = !string.IsNullOrWhiteSpace(options.Passkeys.RelyingPartyId) ? options.Passkeys.RelyingPartyId.Trim()
            : publicBase?.Host ?? http.Request.Host.Host;
        var origins = options.Passkeys.Origins.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim().TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        if (origins.Count == 0)
        {
            origins.Add(publicBase is not null ? publicBase.GetLeftPart(UriPartial.Authority) : $"{http.Request.Scheme}://{http.Request.Host}");
        }
        return new Fido2Configuration
        {
            RPID = rpId,
            RPName = "Portal",
            Origins = origins,
            TimestampDriftTolerance = 300_000,
        };
    }

    private static Fido2 Fido2For(HttpContext http) =>
        new(ConfigurationFor(http, http.RequestServices.GetRequiredService<IOptions<PortalOptions>>().Value));

    private static IGrainFactory Grains(HttpContext http) => http.RequestServices.GetRequiredService<IGrainFactory>();

    private static DateTimeOffset Now(HttpContext http) => (http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

    public static string IdOf(byte[] credentialId) => Base64Url.EncodeToString(credentialId);

    // ---- adding a passkey (a signed-in session) ----

    private static async Task<IResult> RegistrationOptionsAsync(HttpContext http)
    {
        if (await SessionUserAsync(http) is not { } user)
        {
            return Results.Unauthorized();
        }
        var existing = await Grains(http).GetGrain<IStaffUserGrain>(user.Id).ListPasskeys();
        var options = Fido2For(http).RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = user.Id.ToByteArray(), Name = user.Email, DisplayName = user.Name },
            ExcludeCredentials = [.. existing.Select(p => new PublicKeyCredentialDescriptor(Base64Url.DecodeFromChars(p.CredentialId)))],
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        var json = options.ToJson();
        await StartCeremonyAsync(http, new PasskeyChallenge(RegisterPurpose, user.Id, json, Now(http) + ChallengeLifetime));
        return Results.Content(json, "application/json");
    }

    private static async Task<IResult> RegisterAsync(HttpContext http)
    {
        if (await SessionUserAsync(http) is not { } user)
        {
            return Results.Unauthorized();
        }
        var challenge = await TakeCeremonyAsync(http);
        var body = await ReadJsonAsync(http);
        var name = body is { } b && b.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()?.Trim() : null;
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            return Failure(StatusCodes.Status400BadRequest, "Give the passkey a name of up to 100 characters, like \"Laptop\".");
        }
        if (challenge is null || challenge.Purpose != RegisterPurpose || challenge.UserId != user.Id)
        {
            return Failure(StatusCodes.Status400BadRequest, "That took too long or was already used. Press \"Add a passkey\" again.");
        }
        if (body is not { } root || !root.TryGetProperty("credential", out var credential)
            || Deserialize<AuthenticatorAttestationRawResponse>(credential) is not { } response)
        {
            return Failure(StatusCodes.Status400BadRequest, "The browser's answer was not a passkey.");
        }
        var grains = Grains(http);
        RegisteredPublicKeyCredential created;
        try
        {
            created = await Fido2For(http).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = response,
                OriginalOptions = CredentialCreateOptions.FromJson(challenge.OptionsJson),
                IsCredentialIdUniqueToUserCallback = async (args, _) => await grains.GetGrain<IStaffPasskeyGrain>(IdOf(args.CredentialId)).Find() is null,
            }, http.RequestAborted);
        }
        catch (Exception e) when (e is Fido2VerificationException or ArgumentException or FormatException or InvalidOperationException)
        {
            return Failure(StatusCodes.Status400BadRequest, "The passkey could not be verified: " + e.Message);
        }
        var id = IdOf(created.Id);
        if (await grains.GetGrain<IStaffPasskeyGrain>(id).Claim(user.Id) != user.Id)
        {
            return Failure(StatusCodes.Status400BadRequest, "This passkey already belongs to an account.");
        }
        var account = grains.GetGrain<IStaffUserGrain>(user.Id);
        try
        {
            await account.AddPasskey(new StaffPasskey(id, created.PublicKey, created.SignCount, name, Now(http), null));
        }
        catch (PortalRuleViolation rule)
        {
            await grains.GetGrain<IStaffPasskeyGrain>(id).Release(user.Id);
            return Failure(StatusCodes.Status400BadRequest, rule.Message);
        }
        return Results.Json(new { id, name }, statusCode: StatusCodes.Status201Created);
    }

    // ---- signing in with a passkey (anonymous) ----

    private static async Task<IResult> SignInOptionsAsync(HttpContext http)
    {
        if (!await AntiforgeryValidAsync(http))
        {
            return Failure(StatusCodes.Status400BadRequest, "Reload the page and try again.");
        }
        var options = Fido2For(http).GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [],
            UserVerification = UserVerificationRequirement.Required,
        });
        var json = options.ToJson();
        await StartCeremonyAsync(http, new PasskeyChallenge(SignInPurpose, null, json, Now(http) + ChallengeLifetime));
        return Results.Content(json, "application/json");
    }

    private static async Task<IResult> SignInAsync(HttpContext http)
    {
        if (!await AntiforgeryValidAsync(http))
        {
            return Failure(StatusCodes.Status400BadRequest, "Reload the page and try again.");
        }
        var limiter = http.RequestServices.GetRequiredService<FailureLimiter>();
        var network = FailureLimiter.NetworkOf(http.Connection.RemoteIpAddress);
        if (limiter.IsBlocked(network))
        {
            return Failure(StatusCodes.Status429TooManyRequests, "Too many attempts from your network. Please wait a few minutes.");
        }
        var challenge = await TakeCeremonyAsync(http);
        var body = await ReadJsonAsync(http);
        var user = await VerifyAssertionAsync(http, challenge, body);
        if (user is null)
        {
            limiter.RecordFailure(network);
            return Failure(StatusCodes.Status401Unauthorized, Refused);
        }
        if (user.Memberships.Count == 0)
        {
            return Failure(StatusCodes.Status403Forbidden, "Your account does not belong to any company any more. Ask your company's owner to invite you again.");
        }
        var returnUrl = SignInModel.Local(body is { } b && b.TryGetProperty("returnUrl", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null);
        var first = user.Memberships[0];
        await http.SignInAsync(StaffSessions.Scheme, StaffSessions.CreatePrincipal(user, first.CompanyId, first.Role, Now(http)));
        // Several companies: the person picks one, as after a password.
        var next = user.Memberships.Count > 1 ? "/staff/companies?returnUrl=" + Uri.EscapeDataString(returnUrl) : returnUrl;
        return Results.Json(new { redirect = next });
    }

    /// <summary>The account a passkey assertion proves, or null: unknown or removed credential, wrong challenge, origin, signature or count.</summary>
    private static async Task<StaffUserView?> VerifyAssertionAsync(HttpContext http, PasskeyChallenge? challenge, JsonElement? body)
    {
        if (challenge is null || challenge.Purpose != SignInPurpose || body is not { } root
            || !root.TryGetProperty("credential", out var credential)
            || Deserialize<AuthenticatorAssertionRawResponse>(credential) is not { RawId.Length: > 0 } response)
        {
            return null;
        }
        var grains = Grains(http);
        var id = IdOf(response.RawId);
        if (await grains.GetGrain<IStaffPasskeyGrain>(id).Find() is not { } userId)
        {
            return null;
        }
        var account = grains.GetGrain<IStaffUserGrain>(userId);
        if (await account.FindPasskey(id) is not { } passkey)
        {
            return null;
        }
        VerifyAssertionResult verified;
        try
        {
            verified = await Fido2For(http).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = response,
                OriginalOptions = AssertionOptions.FromJson(challenge.OptionsJson),
                StoredPublicKey = passkey.PublicKey,
                StoredSignatureCounter = passkey.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (args, _) => Task.FromResult(args.UserHandle is { Length: 16 } handle && new Guid(handle) == userId),
            }, http.RequestAborted);
        }
        catch (Exception e) when (e is Fido2VerificationException or ArgumentException or FormatException or InvalidOperationException or CryptographicException)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StaffPasskeys)).LogInformation("Passkey sign-in refused: {Reason}", e.Message);
            return null;
        }
        return await account.RecordPasskeySignIn(id, verified.SignCount) ? await account.Find() : null;
    }

    // ---- ceremonies ----

    private static async Task StartCeremonyAsync(HttpContext http, PasskeyChallenge challenge)
    {
        var key = IdOf(RandomNumberGenerator.GetBytes(32));
        await Grains(http).GetGrain<IPasskeyChallengeGrain>(key).Put(challenge);
        http.Response.Cookies.Append(ChallengeCookie, key, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = Prefix,
            MaxAge = ChallengeLifetime,
            IsEssential = true,
        });
    }

    private static async Task<PasskeyChallenge?> TakeCeremonyAsync(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(ChallengeCookie, out var key) || string.IsNullOrEmpty(key) || key.Length > 64)
        {
            return null;
        }
        http.Response.Cookies.Delete(ChallengeCookie, new CookieOptions { Path = Prefix, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict, HttpOnly = true });
        return await Grains(http).GetGrain<IPasskeyChallengeGrain>(key).Take();
    }

    // ---- plumbing ----

    /// <summary>The signed-in person of a session (never an API key), after the antiforgery check; null otherwise.</summary>
    private static async Task<StaffUserView?> SessionUserAsync(HttpContext http)
    {
        var session = await http.AuthenticateAsync(StaffSessions.Scheme);
        if (!session.Succeeded || session.Principal.GetUserId() is not { } userId)
        {
            return null;
        }
        http.User = session.Principal;
        if (!await AntiforgeryValidAsync(http))
        {
            return null;
        }
        return await Grains(http).GetGrain<IStaffUserGrain>(userId).Find();
    }

    private static async Task<bool> AntiforgeryValidAsync(HttpContext http) =>
        await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http);

    private static async Task<JsonElement?> ReadJsonAsync(HttpContext http)
    {
        if (http.Request.ContentLength is > 64 * 1024)
        {
            return null;
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static T? Deserialize<T>(JsonElement element) where T : class
    {
        try
        {
            return element.Deserialize<T>();
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static IResult Failure(int status, string message) => Results.Json(new { error = message }, statusCode: status);
}
