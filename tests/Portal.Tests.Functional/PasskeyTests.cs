using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// Passkeys over HTTP with a software authenticator (a P-256 key, "none" attestation): the options the server sends,
/// a passkey added and used to sign in, and the refusals: an unknown or removed credential, a replayed challenge, a
/// wrong origin, a signature count that did not go up, and a session API key's holder adding one.
/// </summary>
[Trait("Category", "Security")]
public sealed class PasskeyTests : IAsyncLifetime
{
    private const string Password = "plum tree ladder window";
    private const string Prefix = "/staff/security/passkeys";
    private PortalTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PortalTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string Origin => _host.BaseUri.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task Registration_options_ask_for_a_discoverable_verified_credential_of_this_account_and_sign_in_options_name_none()
    {
        using var owner = await SignUpAsync("opts@example.com");
        var token = await owner.TokenFromAsync("/staff/security");
        var options = await PostJsonAsync(owner, Prefix + "/options", token, new { });
        Assert.Equal(HttpStatusCode.OK, options.Status);
        var json = options.Body!;
        Assert.Equal("127.0.0.1", json["rp"]!["id"]!.GetValue<string>());
        Assert.Equal("opts@example.com", json["user"]!["name"]!.GetValue<string>());
        Assert.Equal(16, Base64Url.DecodeFromChars(json["user"]!["id"]!.GetValue<string>()).Length);
        Assert.True(Base64Url.DecodeFromChars(json.Str("challenge")).Length >= 16);
        Assert.Equal("required", json["authenticatorSelection"]!["residentKey"]!.GetValue<string>());
        Assert.Equal("required", json["authenticatorSelection"]!["userVerification"]!.GetValue<string>());
        Assert.Equal("none", json.Str("attestation"));
        Assert.Contains(json["pubKeyCredParams"]!.AsArray(), p => p!["alg"]!.GetValue<int>() == -7);
        var cookie = Assert.Single(options.SetCookies, c => c.StartsWith("portal_passkey=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var anonymous = new PortalBrowser(_host);
        var signInToken = await anonymous.TokenFromAsync("/staff/sign-in");
        var assertion = await PostJsonAsync(anonymous, Prefix + "/assertion/options", signInToken, new { });
        Assert.Equal(HttpStatusCode.OK, assertion.Status);
        Assert.Equal("127.0.0.1", assertion.Body!.Str("rpId"));
        Assert.Equal("required", assertion.Body!.Str("userVerification"));
        Assert.Empty(assertion.Body!["allowCredentials"]?.AsArray() ?? []);
    }

    [Fact]
    public async Task Adding_a_passkey_needs_a_session_and_the_antiforgery_token()
    {
        using var anonymous = new PortalBrowser(_host);
        var token = await anonymous.TokenFromAsync("/staff/sign-in");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostJsonAsync(anonymous, Prefix + "/options", token, new { })).Status);

        using var owner = await SignUpAsync("csrf@example.com");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostJsonAsync(owner, Prefix + "/options", "", new { })).Status);

        // An API key is no session: it cannot add a passkey to anyone.
        using var keyed = new HttpRequestMessage(HttpMethod.Post, Prefix + "/options") { Content = JsonContent.Create(new { }) };
        using var keyAnswer = await _host.Api.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.Unauthorized, keyAnswer.StatusCode);
    }

    [Fact]
    public async Task A_passkey_added_on_a_session_signs_in_without_an_email_and_is_listed_with_its_name()
    {
        using var owner = await SignUpAsync("round@example.com");
        var key = new SoftPasskey();
        await AddPasskeyAsync(owner, key, "Laptop");
        var (_, security) = await owner.GetAsync("/staff/security");
        Assert.Contains("Laptop", security, StringComparison.Ordinal);

        using var signedIn = new PortalBrowser(_host);
        var answer = await SignInWithAsync(signedIn, key);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("/staff/feed", answer.Body!.Str("redirect"));
        var company = await signedIn.Http.GetOkAsync("/api/company");
        Assert.Equal("Round Co", company.Str("name"));
        var stored = Assert.Single(await Grains.GetGrain<IStaffUserGrain>(await UserIdAsync("round@example.com")).ListPasskeys());
        Assert.Equal("Laptop", stored.Name);
        Assert.NotNull(stored.LastUsedAt);
        Assert.Equal(1u, stored.SignCount);
    }

    [Fact]
    public async Task An_unknown_credential_is_refused()
    {
        using var owner = await SignUpAsync("unknown@example.com");
        await AddPasskeyAsync(owner, new SoftPasskey(), "Laptop");

        using var stranger = new PortalBrowser(_host);
        var answer = await SignInWithAsync(stranger, new SoftPasskey());
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/company")).Status);
    }

    [Fact]
    public async Task A_removed_passkey_no_longer_signs_in()
    {
        using var owner = await SignUpAsync("removed@example.com");
        var key = new SoftPasskey();
        await AddPasskeyAsync(owner, key, "Phone");
        var token = await owner.TokenFromAsync("/staff/security");
        using var removed = await owner.Http.PostAsync("/staff/security?handler=Remove", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["credentialId"] = key.Id,
        }));
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);

        using var later = new PortalBrowser(_host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInWithAsync(later, key)).Status);
        Assert.Null(await Grains.GetGrain<IStaffPasskeyGrain>(key.Id).Find());
    }

    [Fact]
    public async Task A_replayed_challenge_is_refused()
    {
        using var owner = await SignUpAsync("replay@example.com");
        var key = new SoftPasskey();
        await AddPasskeyAsync(owner, key, "Laptop");

        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-in");
        var options = await PostJsonAsync(browser, Prefix + "/assertion/options", token, new { });
        var ceremony = CeremonyCookie(browser);
        var first = await PostJsonAsync(browser, Prefix + "/assertion", token, new { credential = key.SignIn(options.Body!.Str("challenge"), Origin, "127.0.0.1") });
        Assert.Equal(HttpStatusCode.OK, first.Status);

        // The same challenge again, even with its cookie put back and a fresh signature count: taken already.
        using var replayer = new PortalBrowser(_host);
        var replayToken = await replayer.TokenFromAsync("/staff/sign-in");
        replayer.Cookies.Add(new Uri(_host.BaseUri, Prefix + "/"), new Cookie("portal_passkey", ceremony, Prefix));
        var again = await PostJsonAsync(replayer, Prefix + "/assertion", replayToken, new { credential = key.SignIn(options.Body!.Str("challenge"), Origin, "127.0.0.1") });
        Assert.Equal(HttpStatusCode.Unauthorized, again.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replayer.GetAsync("/api/company")).Status);
    }

    [Fact]
    public async Task An_assertion_made_for_another_origin_is_refused()
    {
        using var owner = await SignUpAsync("origin@example.com");
        var key = new SoftPasskey();
        await AddPasskeyAsync(owner, key, "Laptop");

        using var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-in");
        var options = await PostJsonAsync(browser, Prefix + "/assertion/options", token, new { });
        var answer = await PostJsonAsync(browser, Prefix + "/assertion", token, new { credential = key.SignIn(options.Body!.Str("challenge"), "https://phish.example", "127.0.0.1") });
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        var stored = Assert.Single(await Grains.GetGrain<IStaffUserGrain>(await UserIdAsync("origin@example.com")).ListPasskeys());
        Assert.Null(stored.LastUsedAt);
    }

    [Fact]
    public async Task A_signature_count_that_did_not_go_up_is_refused_as_a_possible_clone()
    {
        using var owner = await SignUpAsync("clone@example.com");
        var key = new SoftPasskey();
        await AddPasskeyAsync(owner, key, "Laptop");
        using (var first = new PortalBrowser(_host))
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInWithAsync(first, key)).Status);
        }
        key.Counter = 1; // a copy of the key still at the count the server has seen
        using var clone = new PortalBrowser(_host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInWithAsync(clone, key, advance: false)).Status);
    }

    // ---- helpers ----

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    private async Task<Guid> UserIdAsync(string email) =>
        await Grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(email)).Find() ?? throw new InvalidOperationException(email);

    private async Task<PortalBrowser> SignUpAsync(string email)
    {
        var browser = new PortalBrowser(_host);
        var token = await browser.TokenFromAsync("/staff/sign-up");
        var company = char.ToUpperInvariant(email[0]) + email[1..email.IndexOf('@', StringComparison.Ordinal)] + " Co";
        using var response = await browser.Http.PostAsync("/staff/sign-up", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["companyName"] = company,
            ["name"] = "Owner of " + company,
            ["email"] = email,
            ["password"] = Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    private async Task AddPasskeyAsync(PortalBrowser owner, SoftPasskey key, string name)
    {
        var token = await owner.TokenFromAsync("/staff/security");
        var options = await PostJsonAsync(owner, Prefix + "/options", token, new { });
        Assert.Equal(HttpStatusCode.OK, options.Status);
        var body = options.Body!;
        var created = await PostJsonAsync(owner, Prefix, token, new
        {
            name,
            credential = key.Create(body.Str("challenge"), Origin, body["rp"]!["id"]!.GetValue<string>(), body["user"]!["id"]!.GetValue<string>()),
        });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body?.ToJsonString());
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SignInWithAsync(PortalBrowser browser, SoftPasskey key, bool advance = true)
    {
        var token = await browser.TokenFromAsync("/staff/sign-in");
        var options = await PostJsonAsync(browser, Prefix + "/assertion/options", token, new { });
        Assert.Equal(HttpStatusCode.OK, options.Status);
        var answer = await PostJsonAsync(browser, Prefix + "/assertion", token,
            new { credential = key.SignIn(options.Body!.Str("challenge"), Origin, options.Body!.Str("rpId"), advance) });
        return (answer.Status, answer.Body);
    }

    private string CeremonyCookie(PortalBrowser browser) =>
        browser.Cookies.GetCookies(new Uri(_host.BaseUri, Prefix + "/"))["portal_passkey"]?.Value ?? throw new InvalidOperationException("no ceremony cookie");

    private static async Task<(HttpStatusCode Status, JsonNode? Body, IReadOnlyList<string> SetCookies)> PostJsonAsync(PortalBrowser browser, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token.Length > 0)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }
        using var response = await browser.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return (response.StatusCode, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) : null, cookies);
    }

    /// <summary>
    /// A software passkey: a P-256 key that answers WebAuthn create and get as an authenticator with user verification
    /// would, in the JSON shape browsers' scripts send (base64url fields).
    /// </summary>
    private sealed class SoftPasskey
    {
        private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        private readonly byte[] _id = RandomNumberGenerator.GetBytes(32);
        private byte[] _userHandle = [];

        public string Id => Base64Url.EncodeToString(_id);
        public uint Counter { get; set; }

        public object Create(string challenge, string origin, string rpId, string userHandle)
        {
            // The user handle the server gave (its user id) is kept with the key and answered back on sign-in.
            _userHandle = Base64Url.DecodeFromChars(userHandle);
            var clientData = ClientData("webauthn.create", challenge, origin);
            var point = _key.ExportParameters(false).Q;
            var cose = new Cbor().Map(5)
                .Int(1).Int(2)      // kty: EC2
                .Int(3).Int(-7)     // alg: ES256
                .Int(-1).Int(1)     // crv: P-256
                .Int(-2).Bytes(point.X!)
                .Int(-3).Bytes(point.Y!)
                .ToArray();
            var authData = Concat(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), [0x45], BigEndian(Counter), new byte[16],
                [(byte)(_id.Length >> 8), (byte)_id.Length], _id, cose);
            var attestation = new Cbor().Map(3).Text("fmt").Text("none").Text("attStmt").Map(0).Text("authData").Bytes(authData).ToArray();
            return new
            {
                id = Id,
                rawId = Id,
                type = "public-key",
                response = new { attestationObject = Base64Url.EncodeToString(attestation), clientDataJSON = Base64Url.EncodeToString(clientData), transports = new[] { "internal" } },
                clientExtensionResults = new { },
            };
        }

        public object SignIn(string challenge, string origin, string rpId, bool advance = true)
        {
            if (advance)
            {
                Counter++;
            }
            var clientData = ClientData("webauthn.get", challenge, origin);
            var authData = Concat(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), [0x05], BigEndian(Counter));
            var signature = _key.SignData(Concat(authData, SHA256.HashData(clientData)), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            return new
            {
                id = Id,
                rawId = Id,
                type = "public-key",
                response = new
                {
                    authenticatorData = Base64Url.EncodeToString(authData),
                    clientDataJSON = Base64Url.EncodeToString(clientData),
                    signature = Base64Url.EncodeToString(signature),
                    userHandle = Base64Url.EncodeToString(_userHandle),
                },
                clientExtensionResults = new { },
            };
        }

        private static byte[] ClientData(string type, string challenge, string origin) =>
            Encoding.UTF8.GetBytes(new JsonObject { ["type"] = type, ["challenge"] = challenge, ["origin"] = origin, ["crossOrigin"] = false }.ToJsonString());

        private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

        private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
    }

    /// <summary>Just enough CBOR (RFC 8949) for an attestation object and a COSE key.</summary>
    private sealed class Cbor
    {
        private readonly List<byte> _bytes = [];

        public Cbor Int(int value) => value >= 0 ? Head(0, (ulong)value) : Head(1, (ulong)(-1 - value));
        public Cbor Bytes(byte[] value) { Head(2, (ulong)value.Length); _bytes.AddRange(value); return this; }
        public Cbor Text(string value) { var utf8 = Encoding.UTF8.GetBytes(value); Head(3, (ulong)utf8.Length); _bytes.AddRange(utf8); return this; }
        public Cbor Map(int pairs) => Head(5, (ulong)pairs);
        public byte[] ToArray() => [.. _bytes];

        private Cbor Head(int major, ulong value)
        {
            var type = (byte)(major << 5);
            if (value < 24)
            {
                _bytes.Add((byte)(type | (byte)value));
            }
            else if (value < 256)
            {
                _bytes.Add((byte)(type | 24));
                _bytes.Add((byte)value);
            }
            else
            {
                _bytes.Add((byte)(type | 25));
                _bytes.Add((byte)(value >> 8));
                _bytes.Add((byte)value);
            }
            return this;
        }
    }
}
