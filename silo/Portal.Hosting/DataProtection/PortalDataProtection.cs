using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;

namespace Portal.Silo.DataProtection;

/// <summary>Data Protection for a web node: one application name and one key ring in the portal database.</summary>
public static class PortalDataProtection
{
    /// <summary>Shared by every node, so they derive the same purposes and accept each other's cookies.</summary>
    public const string ApplicationName = "Portal";

    /// <summary>
    /// Keeps the key ring in <c>portal_data_protection_keys</c> (encrypted with AES-256-GCM when
    /// <c>Portal:DataProtection:KeyEncryptionKey</c> is set). Needs the portal options and database services
    /// (<c>AddPortalOrleans</c>); call it before anything else adds Data Protection, so the start-up check runs before
    /// Data Protection loads its key ring.
    /// </summary>
    public static IServiceCollection AddPortalDataProtection(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new ConfiguredKeyEncryptionKey(
            KeyEncryptionKey.FromOptions(sp.GetRequiredService<IOptions<PortalOptions>>().Value)));
        services.TryAddSingleton<DatabaseXmlRepository>();
        services.AddHostedService<KeyRingStartupCheck>();

        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(keys =>
        {
            keys.XmlRepository = sp.GetRequiredService<DatabaseXmlRepository>();
            if (sp.GetRequiredService<ConfiguredKeyEncryptionKey>().Key is { } key)
            {
                keys.XmlEncryptor = new AesGcmXmlEncryptor(key);
            }
        }));
        return services;
    }
}
