using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Silo.DataProtection;

/// <summary>
/// Reverses <see cref="AesGcmXmlEncryptor"/>. Data Protection creates it itself from the type name stored in the
/// element, through the constructor that takes the service provider, and the key comes from there.
/// </summary>
public sealed class AesGcmXmlDecryptor : IXmlDecryptor
{
    private readonly KeyEncryptionKey? _key;

    public AesGcmXmlDecryptor(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _key = services.GetService<ConfiguredKeyEncryptionKey>()?.Key;
    }

    public AesGcmXmlDecryptor(KeyEncryptionKey? key) => _key = key;

    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        if (encryptedElement.Name != KeyRingEncryption.EncryptedElementName)
        {
            throw new CryptographicException($"Expected an element {KeyRingEncryption.EncryptedElementName}, found {encryptedElement.Name}.");
        }

        var keyId = (string?)encryptedElement.Attribute(KeyRingEncryption.KeyIdAttribute) ?? string.Empty;
        var key = KeyRingEncryption.EnsureKeyMatches(keyId, _key);
        var nonce = Base64Attribute(encryptedElement, KeyRingEncryption.NonceAttribute);
        var tag = Base64Attribute(encryptedElement, KeyRingEncryption.TagAttribute);
        var ciphertext = Convert.FromBase64String(encryptedElement.Value);
        if (nonce.Length != KeyRingEncryption.NonceBytes || tag.Length != KeyRingEncryption.TagBytes)
        {
            throw new CryptographicException($"An encrypted element of {KeyRingEncryption.Table} has a nonce or tag of the wrong length.");
        }

        var plaintext = new byte[ciphertext.Length];
        try
        {
            using (var cipher = key.CreateCipher())
            {
                // Throws AuthenticationTagMismatchException when the element was altered.
                cipher.Decrypt(nonce, ciphertext, tag, plaintext, KeyRingEncryption.AssociatedData(keyId));
            }

            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] Base64Attribute(XElement element, string name) =>
        Convert.FromBase64String((string?)element.Attribute(name)
            ?? throw new CryptographicException($"An encrypted element of {KeyRingEncryption.Table} has no {name}."));
}

/// <summary>The key encryption key from configuration, or none; a service so that the decryptor can find it.</summary>
public sealed record ConfiguredKeyEncryptionKey(KeyEncryptionKey? Key);
