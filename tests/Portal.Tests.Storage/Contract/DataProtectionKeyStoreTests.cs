using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;
using Portal.Silo.DataProtection;
using Portal.Tests.Storage.Infrastructure;

namespace Portal.Tests.Storage.Contract;

/// <summary>The Data Protection key ring table of each engine, alone and under ASP.NET Core's own key manager.</summary>
[Trait("Category", "Security")]
public abstract class DataProtectionKeyStoreTests<TEngine>(ContractSilo<TEngine> silo) where TEngine : ITestEngine, new()
{
    [EngineFact]
    public async Task Elements_are_stored_once_by_friendly_name_and_read_back_in_the_order_written()
    {
        await using var database = await silo.Engine.CreateDatabaseAsync("dp-store");
        await database.MigrateAsync();
        var repository = new DatabaseXmlRepository(database.Database, TimeProvider.System, new ConfiguredKeyEncryptionKey(null));
        Assert.Empty(repository.GetAllElements());

        repository.StoreElement(new XElement("key", new XAttribute("id", "first")), "key-1");
        repository.StoreElement(new XElement("key", new XAttribute("id", "replaced?")), "key-1");
        repository.StoreElement(new XElement("revocation", new XAttribute("id", "second")), "revocation-1");

        var stored = repository.GetAllElements();
        Assert.Equal(["key:first", "revocation:second"], stored.Select(e => $"{e.Name}:{(string?)e.Attribute("id")}"));
        Assert.Equal(2, Convert.ToInt32(await database.ScalarAsync($"SELECT count(*) FROM {KeyRingEncryption.Table}"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [EngineFact]
    public async Task A_ring_written_by_one_node_protects_for_another_encrypted_at_rest_and_a_different_key_cannot_read_it()
    {
        await using var database = await silo.Engine.CreateDatabaseAsync("dp-ring");
        await database.MigrateAsync();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        await using var nodeA = Node(database, key);
        var protectedByA = nodeA.GetDataProtector("session").Protect("client 42");

        var stored = Convert.ToString(await database.ScalarAsync($"SELECT xml FROM {KeyRingEncryption.Table}"), System.Globalization.CultureInfo.InvariantCulture)!;
        Assert.DoesNotContain("masterKey", stored, StringComparison.Ordinal);
        Assert.Contains(KeyRingEncryption.EncryptedElementName.LocalName, stored, StringComparison.Ordinal);

        // Node B decrypts the ring through the decryptor Data Protection activates from the type named in the XML.
        await using var nodeB = Node(database, key);
        Assert.Equal("client 42", nodeB.GetDataProtector("session").Unprotect(protectedByA));

        await using var wrongKey = Node(database, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Assert.Throws<KeyRingEncryptionMismatchException>(() => wrongKey.GetRequiredService<IKeyManager>().GetAllKeys());
        Assert.Equal(1, Convert.ToInt32(await database.ScalarAsync($"SELECT count(*) FROM {KeyRingEncryption.Table}"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [EngineFact]
    public async Task Without_a_key_encryption_key_the_ring_is_stored_as_data_protection_wrote_it()
    {
        await using var database = await silo.Engine.CreateDatabaseAsync("dp-plain");
        await database.MigrateAsync();
        await using var node = Node(database, key: null);
        node.GetDataProtector("session").Protect("client 42");

        var stored = Convert.ToString(await database.ScalarAsync($"SELECT xml FROM {KeyRingEncryption.Table}"), System.Globalization.CultureInfo.InvariantCulture)!;
        Assert.Contains("masterKey", stored, StringComparison.Ordinal);
    }

    private static ServiceProvider Node(TestDatabase database, string? key)
    {
        var options = new PortalOptions();
        options.DataProtection.KeyEncryptionKey = key;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(database.Database);
        services.AddSingleton(Options.Create(options));
        services.AddPortalDataProtection();
        return services.BuildServiceProvider();
    }
}

[Collection(SqliteContractCollection.Name)]
public sealed class SqliteDataProtectionKeyStoreTests(SqliteContractSilo silo) : DataProtectionKeyStoreTests<SqliteTestEngine>(silo);
