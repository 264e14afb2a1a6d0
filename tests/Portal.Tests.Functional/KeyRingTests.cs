using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Portal.Silo.DataProtection;
using Portal.Silo.Storage;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// The Data Protection key ring lives in the portal database, so a client's session cookie and the antiforgery
/// tokens of its pages are accepted by every web node and survive a restart. (In-process test hosts would also share
/// the user profile's key directory, which containers do not; hence each test also proves the ring is the table's.)
/// </summary>
[Trait("Category", "Security")]
public sealed class SharedKeyRingTests : IAsyncLifetime
{
    private TwoWebNodes _nodes = null!;

    public async Task InitializeAsync() => _nodes = await TwoWebNodes.StartAsync();

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_session_cookie_issued_by_web_node_A_is_accepted_by_web_node_B()
    {
        var clientId = await _nodes.A.Api.CreateClientAsync();
        var link = await _nodes.A.Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        using var onA = new PortalBrowser(_nodes.A);
        var landing = await onA.EnterAsync(link.Str("url"));

        using var anonymousOnB = _nodes.B.CreateClient(followRedirects: false);
        using (var refused = await anonymousOnB.GetAsync(landing))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using var onB = _nodes.B.CreateClient(followRedirects: false, cookies: onA.Cookies);
        using var page = await onB.GetAsync(landing);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Jane Smith", await page.Content.ReadAsStringAsync());

        KeyRing.AssertNodeUsesTheStoredRing(_nodes.A, await KeyRing.StoredAsync(_nodes.A));
        KeyRing.AssertNodeUsesTheStoredRing(_nodes.B, await KeyRing.StoredAsync(_nodes.B));
    }

    [Fact]
    public async Task A_client_session_cookie_issued_by_web_node_A_is_accepted_by_A_after_a_restart()
    {
        var clientId = await _nodes.A.Api.CreateClientAsync();
        var link = await _nodes.A.Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
        using var browser = new PortalBrowser(_nodes.A);
        var landing = await browser.EnterAsync(link.Str("url"));

        await _nodes.RestartAAsync();

        // The restarted node listens on another port of the same host, so the cookie jar still sends the cookie.
        using var afterRestart = _nodes.A.CreateClient(followRedirects: false, cookies: browser.Cookies);
        using var page = await afterRestart.GetAsync(landing);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        KeyRing.AssertNodeUsesTheStoredRing(_nodes.A, await KeyRing.StoredAsync(_nodes.A));
    }

    [Fact]
    public async Task An_antiforgery_token_from_a_page_of_web_node_A_is_accepted_by_web_node_B_for_a_form_post()
    {
        var api = _nodes.A.Api;
        var clientId = await api.CreateClientAsync();
        var (projectId, _) = await api.CreateProjectAsync(clientId);
        var (quoteId, _) = await api.CreateQuoteAsync(projectId);
        var url = (await api.SendAsync("proposals", quoteId)).Str("portalUrl");
        using var onA = new PortalBrowser(_nodes.A);
        await onA.EnterAsync(url);
        var token = await onA.TokenFromAsync($"/portal/proposals/{quoteId}");

        using var onB = _nodes.B.CreateClient(followRedirects: false, cookies: onA.Cookies);
        using var declined = await onB.PostAsync($"/portal/proposals/{quoteId}/decline", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["documentVersion"] = "1",
            ["reason"] = "Over budget",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, declined.StatusCode);
        Assert.Equal("declined", (await _nodes.B.Api.GetOkAsync($"/api/proposals/{quoteId}")).Str("status"));
    }
}

/// <summary>The key ring encrypted at rest with <c>Portal:DataProtection:KeyEncryptionKey</c>, on an embedded portal.</summary>
[Trait("Category", "Security")]
public sealed class EncryptedKeyRingTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static Dictionary<string, string?> WithKey(string? key) => new() { [KeyEncryptionKey.ConfigurationKey] = key };

    [Fact]
    public async Task With_a_key_encryption_key_no_master_key_is_stored_in_the_clear_and_the_ring_decrypts_after_a_restart()
    {
        var dataDirectory = PortalTestHost.NewDataDirectory();
        var key = NewKey();
        CookieContainer cookies;
        string landing;
        IReadOnlyList<string> masterKeys;
        await using (var first = await PortalTestHost.StartAsync(dataDirectory, WithKey(key)))
        {
            var clientId = await first.Api.CreateClientAsync();
            var link = await first.Api.PostOkAsync($"/api/clients/{clientId}/portal-links", null);
            using var browser = new PortalBrowser(first);
            landing = await browser.EnterAsync(link.Str("url"));
            cookies = browser.Cookies;
            masterKeys = KeyRing.MasterKeysOf(first);
            Assert.NotEmpty(masterKeys);

            var stored = await KeyRing.StoredAsync(first);
            KeyRing.AssertNodeUsesTheStoredRing(first, stored);
            foreach (var (_, xml) in stored.Where(s => s.FriendlyName.StartsWith("key-", StringComparison.Ordinal)))
            {
                Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
                Assert.DoesNotContain(masterKeys, xml.Contains);
                Assert.Contains(KeyRingEncryption.EncryptedElementName.LocalName, xml, StringComparison.Ordinal);
            }
        }

        // Data Protection activates our decryptor from the type named in the stored XML; the cookie proves it decrypted.
        await using (var second = await PortalTestHost.StartAsync(dataDirectory, WithKey(key)))
        {
            using var http = second.CreateClient(followRedirects: false, cookies: cookies);
            using var page = await http.GetAsync(landing);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(masterKeys.Order(), KeyRing.MasterKeysOf(second).Order());
        }
    }

    [Fact]
    public async Task A_restart_with_a_different_or_no_key_encryption_key_is_refused_and_stores_nothing()
    {
        var dataDirectory = PortalTestHost.NewDataDirectory();
        await using (await PortalTestHost.StartAsync(dataDirectory, WithKey(NewKey())))
        {
        }
        var before = await KeyRing.StoredAsync(dataDirectory);
        Assert.NotEmpty(before);

        var wrong = await Assert.ThrowsAnyAsync<Exception>(() => PortalTestHost.StartAsync(dataDirectory, WithKey(NewKey())));
        var mismatch = KeyRing.Find<KeyRingEncryptionMismatchException>(wrong);
        Assert.Contains($"was encrypted with a different {KeyEncryptionKey.ConfigurationKey}", mismatch.Message, StringComparison.Ordinal);

        var none = await Assert.ThrowsAnyAsync<Exception>(() => PortalTestHost.StartAsync(dataDirectory));
        Assert.Contains($"{KeyEncryptionKey.ConfigurationKey} is not configured", KeyRing.Find<KeyRingEncryptionMismatchException>(none).Message, StringComparison.Ordinal);

        Assert.Equal(before, await KeyRing.StoredAsync(dataDirectory));
    }
}

/// <summary>Reads the key ring table directly and compares it with what a node's Data Protection uses.</summary>
internal static class KeyRing
{
    public static async Task<IReadOnlyList<(string FriendlyName, string Xml)>> StoredAsync(PortalTestHost node) =>
        await StoredAsync(node.Services.GetRequiredService<PortalDatabase>());

    public static Task<IReadOnlyList<(string FriendlyName, string Xml)>> StoredAsync(string embeddedDataDirectory) =>
        StoredAsync(new PortalDatabase(DatabaseEngine.Sqlite, $"Data Source={Path.Combine(embeddedDataDirectory, "portal.db")}"));

    private static async Task<IReadOnlyList<(string FriendlyName, string Xml)>> StoredAsync(PortalDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT friendly_name, xml FROM {KeyRingEncryption.Table} ORDER BY friendly_name";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }
        return rows;
    }

    /// <summary>Every key the node knows is a row of the table.</summary>
    public static void AssertNodeUsesTheStoredRing(PortalTestHost node, IReadOnlyList<(string FriendlyName, string Xml)> stored)
    {
        var keys = node.Services.GetRequiredService<IKeyManager>().GetAllKeys();
        Assert.NotEmpty(keys);
        var names = stored.Select(s => s.FriendlyName).ToHashSet();
        Assert.All(keys, k => Assert.Contains($"key-{k.KeyId:D}", names));
    }

    /// <summary>The base64 master keys of the node's key ring, as Data Protection holds them in memory.</summary>
    public static IReadOnlyList<string> MasterKeysOf(PortalTestHost node) =>
        [.. node.Services.GetRequiredService<IKeyManager>().GetAllKeys()
            .Select(k => k.Descriptor.ExportToXml().SerializedDescriptorElement)
            .Select(descriptor => descriptor.Descendants("masterKey").Single().Element("value")!.Value)];

    public static T Find<T>(Exception failure) where T : Exception
    {
        var pending = new Stack<Exception>([failure]);
        while (pending.TryPop(out var current))
        {
            if (current is T found)
            {
                return found;
            }
            if (current is AggregateException aggregate)
            {
                aggregate.InnerExceptions.ToList().ForEach(pending.Push);
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
        throw new Xunit.Sdk.XunitException($"Expected a {typeof(T).Name} in {failure}");
    }
}
