using Portal.Tests.Storage.Infrastructure;

namespace Portal.Tests.Storage.Contract;

/// <summary>The SQLite contract test classes share one silo (starting silos is the slow part).</summary>
[CollectionDefinition(Name)]
public sealed class SqliteContractCollection : ICollectionFixture<SqliteContractSilo>
{
    public const string Name = "SQLite contract";
}
