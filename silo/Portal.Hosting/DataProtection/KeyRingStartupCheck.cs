using System.Data.Common;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;

namespace Portal.Silo.DataProtection;

/// <summary>
/// At start, before Data Protection loads its key ring: refuses to start when the configured key encryption key
/// cannot decrypt the stored ring (a wrong or missing key would otherwise sign everyone out and leave a key the
/// right one cannot read), and warns when a client-mode node stores the ring unencrypted.
/// </summary>
internal sealed partial class KeyRingStartupCheck(
    DatabaseXmlRepository repository,
    ConfiguredKeyEncryptionKey encryption,
    IOptions<PortalOptions> options,
    ILogger<KeyRingStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var mode = options.Value.Orleans.Mode.Trim().ToLowerInvariant();
        if (encryption.Key is null && mode != OrleansModes.Embedded)
        {
            LogUnencrypted(logger, KeyEncryptionKey.ConfigurationKey, KeyRingEncryption.Table);
        }

        IReadOnlyCollection<XElement> elements;
        try
        {
            // Throws KeyRingEncryptionMismatchException, which fails the start, when the key is not the ring's.
            elements = repository.GetAllElements();
        }
        catch (DbException exception)
        {
            // In client mode the database may be down or not yet migrated; Data Protection reads again when it needs
            // the ring, and readiness reports the database meanwhile.
            LogNotReadable(logger, exception, KeyRingEncryption.Table);
            return Task.CompletedTask;
        }

        if (encryption.Key is { } key)
        {
            var decryptor = new AesGcmXmlDecryptor(key);
            foreach (var encrypted in elements.SelectMany(e => e.Descendants(KeyRingEncryption.EncryptedElementName)))
            {
                try
                {
                    decryptor.Decrypt(encrypted);
                }
                catch (CryptographicException exception)
                {
                    throw new KeyRingEncryptionMismatchException(
                        $"An element of the data protection key ring in {KeyRingEncryption.Table} does not decrypt with the configured " +
                        $"{KeyEncryptionKey.ConfigurationKey} although its key id matches: it was altered ({exception.Message}).");
                }
            }
        }

        LogChecked(logger, elements.Count, encryption.Key?.Fingerprint ?? "none");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ConfigurationKey} is not set: the data protection key ring (session cookies, antiforgery tokens) is stored unencrypted in {Table}")]
    private static partial void LogUnencrypted(ILogger logger, string configurationKey, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The data protection key ring in {Table} cannot be read yet; it is read again when needed")]
    private static partial void LogNotReadable(ILogger logger, Exception exception, string table);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data protection key ring: {Count} stored elements, key encryption key id {KeyId}")]
    private static partial void LogChecked(ILogger logger, int count, string keyId);
}
