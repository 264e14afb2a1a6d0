using Portal.Tests.Storage.Infrastructure;

namespace Portal.Tests.Storage.Contract;

/// <summary>The PostgreSQL contract test classes share one silo on its own schema.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresContractCollection : ICollectionFixture<PostgresContractSilo>
{
    public const string Name = "PostgreSQL contract";
}

[Collection(PostgresContractCollection.Name), RequiresPostgres]
public sealed class PostgresPersistenceContractTests(PostgresContractSilo silo) : PersistenceContractTests<PostgresTestEngine>(silo);

[Collection(PostgresContractCollection.Name), RequiresPostgres]
public sealed class PostgresClusteringContractTests(PostgresContractSilo silo) : ClusteringContractTests<PostgresTestEngine>(silo);

[Collection(PostgresContractCollection.Name), RequiresPostgres]
public sealed class PostgresReminderContractTests(PostgresContractSilo silo) : ReminderContractTests<PostgresTestEngine>(silo);

[Collection(PostgresContractCollection.Name), RequiresPostgres]
public sealed class PostgresMigratorTests(PostgresContractSilo silo) : MigratorTests<PostgresTestEngine>(silo);

[Collection(PostgresContractCollection.Name), RequiresPostgres]
public sealed class PostgresFileStoreTests(PostgresContractSilo silo) : FileStoreTests<PostgresTestEngine>(silo);

[Collection(PostgresContractCollection.Name), RequiresPostgres]
public sealed class PostgresDataProtectionKeyStoreTests(PostgresContractSilo silo) : DataProtectionKeyStoreTests<PostgresTestEngine>(silo);
