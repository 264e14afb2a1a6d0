using System.Data.Common;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Portal.Silo.Storage;

namespace Portal.Silo.DataProtection;

/// <summary>
/// The Data Protection key ring in the <c>portal_data_protection_keys</c> table of the portal database (either
/// engine), so every web node reads the same keys and a redeploy keeps them. An element is written once under its
/// friendly name; writing it again keeps the first. Reading refuses a ring the configured key encryption key
/// cannot decrypt (see <see cref="KeyRingEncryption"/>).
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous; Data Protection calls it only when it (re)loads the key ring, which
/// it caches for hours, and when it creates a key.
/// </remarks>
public sealed class DatabaseXmlRepository(PortalDatabase database, TimeProvider timeProvider, ConfiguredKeyEncryptionKey encryption) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var elements = new List<XElement>();
        using (var connection = Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT xml FROM {KeyRingEncryption.Table} ORDER BY created_at, friendly_name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                elements.Add(XElement.Parse(reader.GetString(0)));
            }
        }

        foreach (var element in elements)
        {
            KeyRingEncryption.EnsureReadable(element, encryption.Key);
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentException.ThrowIfNullOrWhiteSpace(friendlyName);
        using var connection = Open();
        using var command = connection.CreateCommand();
        // Same statement on both engines: a key is created once by one node; a repeated store changes nothing.
        command.CommandText = $"""
            INSERT INTO {KeyRingEncryption.Table} (friendly_name, xml, created_at)
            VALUES (@friendlyName, @xml, @createdAt)
            ON CONFLICT (friendly_name) DO NOTHING
            """;
        AddParameter(command, "friendlyName", friendlyName);
        AddParameter(command, "xml", element.ToString(SaveOptions.DisableFormatting));
        AddParameter(command, "createdAt", timeProvider.GetUtcNow().UtcDateTime);
        command.ExecuteNonQuery();
    }

    private DbConnection Open()
    {
        var connection = database.CreateConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
