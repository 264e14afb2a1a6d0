using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Portal.Silo.Configuration;

namespace Portal.Silo.DataProtection;

/// <summary>
/// The AES-256 key that encrypts the Data Protection key ring at rest (<c>Portal:DataProtection:KeyEncryptionKey</c>),
/// with a short fingerprint stored next to each encrypted element so that a different key is recognised and named
/// before anything is decrypted with it.
/// </summary>
public sealed class KeyEncryptionKey
{
    /// <summary>The configuration key, for messages.</summary>
    public const string ConfigurationKey = "Portal:DataProtection:KeyEncryptionKey";

    private static readonly byte[] FingerprintLabel = Encoding.ASCII.GetBytes("portal data protection key encryption key id");

    private readonly byte[] _key;

    private KeyEncryptionKey(byte[] key)
    {
        _key = key;
        // An HMAC under the key itself: equal for equal keys, and says nothing about the key.
        Fingerprint = Convert.ToHexStringLower(HMACSHA256.HashData(key, FingerprintLabel).AsSpan(0, 8));
    }

    /// <summary>16 hex digits identifying the key without revealing it.</summary>
    public string Fingerprint { get; }

    /// <summary>A new <see cref="AesGcm"/> under this key; the caller disposes it.</summary>
    internal AesGcm CreateCipher() => new(_key, AesGcm.TagByteSizes.MaxSize);

    /// <summary>The configured key, or null when none is configured. Throws when the value is malformed.</summary>
    public static KeyEncryptionKey? FromOptions(PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.DataProtection.KeyEncryptionKey;
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return TryParse(value, out var key, out var problem) ? key : throw new InvalidOperationException(problem);
    }

    /// <summary>Parses base64 of exactly 32 bytes; the problem never repeats the value.</summary>
    public static bool TryParse(string value, [NotNullWhen(true)] out KeyEncryptionKey? key, out string problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        key = null;
        var buffer = new byte[(value.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var written))
        {
            problem = $"{ConfigurationKey} is not base64; it must be {PortalDataProtectionOptions.KeyEncryptionKeyBytes} random bytes in base64 (for example the output of `openssl rand -base64 32`).";
            return false;
        }

        if (written != PortalDataProtectionOptions.KeyEncryptionKeyBytes)
        {
            problem = $"{ConfigurationKey} must decode to {PortalDataProtectionOptions.KeyEncryptionKeyBytes} bytes (it decodes to {written}); use for example the output of `openssl rand -base64 32`.";
            CryptographicOperations.ZeroMemory(buffer);
            return false;
        }

        key = new KeyEncryptionKey(buffer.AsSpan(0, written).ToArray());
        CryptographicOperations.ZeroMemory(buffer);
        problem = string.Empty;
        return true;
    }
}
