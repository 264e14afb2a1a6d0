using Microsoft.Extensions.Logging.Abstractions;
using Portal.Silo.Storage.Migrations;
using Portal.Tests.Storage.Infrastructure;

namespace Portal.Tests.Storage.Contract;

/// <summary>The migration runner on a real database of each engine.</summary>
public abstract class MigratorTests<TEngine>(ContractSilo<TEngine> silo) where TEngine : ITestEngine, new()
{
    [EngineFact]
    public async Task Running_twice_applies_everything_once_then_nothing()
    {
        await using var database = await silo.Engine.CreateDatabaseAsync("migrate-twice");
        var first = await database.MigrateAsync();
        Assert.Equal(MigrationScript.Load(database.Database.Engine).Select(s => s.Version), first.Select(s => s.Version));
        Assert.Empty(await database.MigrateAsync());

        var recorded = Convert.ToInt32(await database.ScalarAsync("SELECT count(*) FROM portal_schema_migrations"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(first.Count, recorded);
    }

    [EngineFact]
    public async Task A_new_file_is_applied_alone_and_a_changed_applied_file_is_refused()
    {
        await using var database = await silo.Engine.CreateDatabaseAsync("migrate-change");
        var scripts = MigrationScript.Load(database.Database.Engine);
        await database.MigrateAsync();

        var added = MigrationScript.FromText(9001, "probe_table", "CREATE TABLE probe_table (x INTEGER NOT NULL);");
        var withNew = new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance, [.. scripts, added]);
        Assert.Equal([9001], (await withNew.MigrateAsync(CancellationToken.None)).Select(s => s.Version));

        var changed = scripts.Select(s => s.Version == 2 ? MigrationScript.FromText(s.Version, s.Name, s.Sql + "\n-- edited\n") : s).ToList();
        var refusing = new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance, [.. changed, added]);
        var failure = await Assert.ThrowsAsync<MigrationChecksumMismatchException>(() => refusing.MigrateAsync(CancellationToken.None));
        Assert.Equal(2, failure.Version);
    }

    [EngineFact]
    public async Task Line_endings_do_not_change_a_checksum()
    {
        var unix = MigrationScript.FromText(1, "x", "SELECT 1;\nSELECT 2;\n");
        var windows = MigrationScript.FromText(1, "x", "SELECT 1;\r\nSELECT 2;\r\n");
        Assert.Equal(unix.Sha256, windows.Sha256);
        await Task.CompletedTask;
    }
}

[Collection(SqliteContractCollection.Name)]
public sealed class SqliteMigratorTests(SqliteContractSilo silo) : MigratorTests<SqliteTestEngine>(silo);
