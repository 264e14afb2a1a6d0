using Microsoft.Extensions.Logging;
using Portal.Silo.Storage.Migrations;

namespace Portal.Silo.Hosting;

/// <summary>
/// Brings the schema up to date at the very first silo lifecycle stage, before the ADO.NET providers load their
/// queries from <c>OrleansQuery</c> (membership at RuntimeInitialize, storage and reminders later).
/// </summary>
internal sealed class MigrateDatabaseOnSiloStart(DatabaseMigrator migrator, ILogger<MigrateDatabaseOnSiloStart> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(MigrateDatabaseOnSiloStart), ServiceLifecycleStage.First, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Applying database migrations before the silo starts");
        await migrator.MigrateAsync(cancellationToken);
    }
}
