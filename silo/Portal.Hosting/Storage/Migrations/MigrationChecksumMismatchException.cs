namespace Portal.Silo.Storage.Migrations;

/// <summary>
/// An already applied migration file no longer matches what was applied. Applied files are history: change the
/// schema with a new file instead, because the databases that ran the old text will never run the new one.
/// </summary>
public sealed class MigrationChecksumMismatchException(int version, string name, string appliedSha256, string currentSha256)
    : InvalidOperationException(
        $"Migration {version:D4}_{name} was applied with SHA-256 {appliedSha256} but the file now has {currentSha256}. " +
        "Applied migrations must not change; add a new migration instead.")
{
    public int Version { get; } = version;
}
