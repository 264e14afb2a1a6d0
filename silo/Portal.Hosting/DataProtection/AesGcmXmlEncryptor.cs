using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Portal.Silo.DataProtection;

/// <summary>
/// Encrypts the secret part of a key ring element (the master key) with AES-256-GCM under the configured key
/// encryption key: a fresh random 96-bit nonce per element, the 128-bit tag stored beside the ciphertext.
/// </summary>
public sealed class AesGcmXmlEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(KeyRingEncryption.NonceBytes);
            var tag = new byte[KeyRingEncryption.TagBytes];
            var ciphertext = new byte[plaintext.Length];
            using (var cipher = key.CreateCipher())
            {
                cipher.Encrypt(nonce, plaintext, ciphertext, tag, KeyRingEncryption.AssociatedData(key.Fingerprint));
            }

            var encrypted = new XElement(
                KeyRingEncryption.EncryptedElementName,
                new XAttribute(KeyRingEncryption.KeyIdAttribute, key.Fingerprint),
                new XAttribute(KeyRingEncryption.NonceAttribute, Convert.ToBase64String(nonce)),
                new XAttribute(KeyRingEncryption.TagAttribute, Convert.ToBase64String(tag)),
                Convert.ToBase64String(ciphertext));
            return new EncryptedXmlInfo(encrypted, typeof(AesGcmXmlDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
