using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Silo.Storage.Migrations;

/// <summary>One versioned schema file, e.g. <c>sqlite/0002_orleans_membership.sql</c>, embedded in this assembly.</summary>
public sealed partial record MigrationScript(int Version, string Name, string Sql, string Sha256)
{
    /// <summary>All scripts of the engine, ordered by version; duplicate versions are a build mistake and throw.</summary>
    public static IReadOnlyList<MigrationScript> Load(DatabaseEngine engine)
    {
        var assembly = typeof(MigrationScript).Assembly;
        var folder = $".Storage.Migrations.{FolderOf(engine)}.";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var at = resource.IndexOf(folder, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[(at + folder.Length)..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Migration resource '{resource}' is not named like '0001_description.sql'.");
            }

            scripts.Add(FromText(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                Read(assembly, resource)));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two {engine} migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(s => s.Name))}.");
        }

        return scripts.OrderBy(s => s.Version).ToArray();
    }

    public static MigrationScript FromText(int version, string name, string sql)
    {
        // Line endings depend on how git checked the file out; hashing them would make the same file look
        // "changed" on another machine.
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
        return new MigrationScript(version, name, normalised, hash);
    }

    private static string FolderOf(DatabaseEngine engine) => engine switch
    {
        DatabaseEngine.Sqlite => "sqlite",
        DatabaseEngine.Postgres => "postgres",
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration resource '{resource}' cannot be opened.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^_?(?<version>\d+)_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
