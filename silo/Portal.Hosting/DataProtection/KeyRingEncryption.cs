using System.Text;
using System.Xml.Linq;

namespace Portal.Silo.DataProtection;

/// <summary>
/// How an element of the key ring encrypted by <see cref="AesGcmXmlEncryptor"/> is written, and the check that the
/// configured key is the one it was written with. The check runs on every read of the key ring, because Data
/// Protection treats a key it cannot decrypt as absent and would create (and store) a new one under the wrong key.
/// </summary>
public static class KeyRingEncryption
{
    /// <summary>The table the key ring lives in, for messages.</summary>
    public const string Table = "portal_data_protection_keys";

    public static readonly XNamespace Namespace = "urn:portal:data-protection";

    /// <summary><c>&lt;aesGcm keyId="…" nonce="…" tag="…"&gt;ciphertext&lt;/aesGcm&gt;</c>, all values base64 but the key id.</summary>
    public static readonly XName EncryptedElementName = Namespace + "aesGcm";

    public const string KeyIdAttribute = "keyId";
    public const string NonceAttribute = "nonce";
    public const string TagAttribute = "tag";

    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    // Where Data Protection wraps whatever an IXmlEncryptor returned.
    private static readonly XName EncryptedSecretElementName = XName.Get("encryptedSecret", "http://schemas.asp.net/2015/03/dataProtection");

    /// <summary>Binds the ciphertext to its format and to the key id written beside it.</summary>
    internal static byte[] AssociatedData(string keyId) => Encoding.ASCII.GetBytes("portal-data-protection/aes-256-gcm/v1/" + keyId);

    /// <summary>The key ids of the elements of ours inside <paramref name="element"/> (none when it is stored unencrypted).</summary>
    public static IEnumerable<string> KeyIdsIn(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return element.DescendantsAndSelf(EncryptedSecretElementName)
            .SelectMany(secret => secret.Elements(EncryptedElementName))
            .Select(encrypted => (string?)encrypted.Attribute(KeyIdAttribute) ?? string.Empty);
    }

    /// <summary>Throws <see cref="KeyRingEncryptionMismatchException"/> unless <paramref name="configured"/> can decrypt the element.</summary>
    public static void EnsureReadable(XElement element, KeyEncryptionKey? configured)
    {
        foreach (var keyId in KeyIdsIn(element))
        {
            EnsureKeyMatches(keyId, configured);
        }
    }

    internal static KeyEncryptionKey EnsureKeyMatches(string storedKeyId, KeyEncryptionKey? configured)
    {
        if (configured is null)
        {
            throw new KeyRingEncryptionMismatchException(
                $"The data protection key ring in {Table} is encrypted (key id {storedKeyId}), but {KeyEncryptionKey.ConfigurationKey} " +
                "is not configured. Configure the key it was written with.");
        }

        if (!string.Equals(storedKeyId, configured.Fingerprint, StringComparison.Ordinal))
        {
            throw new KeyRingEncryptionMismatchException(
                $"The data protection key ring in {Table} was encrypted with a different {KeyEncryptionKey.ConfigurationKey} " +
                $"(key id {storedKeyId}; the configured key has id {configured.Fingerprint}). Configure the key it was written with.");
        }

        return configured;
    }
}

/// <summary>The configured key encryption key cannot read the stored key ring.</summary>
public sealed class KeyRingEncryptionMismatchException(string message) : InvalidOperationException(message);
