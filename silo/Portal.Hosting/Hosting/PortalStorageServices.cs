using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Portal.Silo.Configuration;
using Portal.Silo.Storage;
using Portal.Silo.Storage.Migrations;

namespace Portal.Silo.Hosting;

/// <summary>The database-facing services every portal process needs, whatever its Orleans role.</summary>
public static class PortalStorageServices
{
    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => PortalDatabase.FromOptions(options));
        services.TryAddSingleton(sp => new DatabaseMigrator(
            sp.GetRequiredService<PortalDatabase>(), sp.GetRequiredService<ILogger<DatabaseMigrator>>()));
        services.TryAddSingleton<IDatabaseProbe, DatabaseProbe>();
        services.TryAddSingleton<IFileContentStore>(sp =>
        {
            var database = sp.GetRequiredService<PortalDatabase>();
            var time = sp.GetRequiredService<TimeProvider>();
            return database.Engine == DatabaseEngine.Sqlite
                ? new SqliteFileContentStore(database, time)
                : new PostgresFileContentStore(database, time);
        });
        return services;
    }
}
