using System.Data.Common;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Portal.Silo.Configuration;
using Portal.Silo.Hosting;
using Portal.Silo.Storage;
using Portal.Silo.Storage.Migrations;

namespace Portal.Silo;

/// <summary><c>dotnet run --project silo</c> (a cluster silo) and <c>dotnet run --project silo -- migrate</c>.</summary>
public static class SiloProgram
{
    public const string MigrateCommand = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var migrate = args.Length > 0 && string.Equals(args[0], MigrateCommand, StringComparison.OrdinalIgnoreCase);
        var builder = WebApplication.CreateBuilder(migrate ? args[1..] : args);

        PortalOptions options;
        try
        {
            options = builder.AddPortalOptions();
        }
        catch (OptionsValidationException exception)
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {string.Join(" ", exception.Failures)}");
            return 2;
        }

        options.Orleans.Mode = OrleansModes.Silo;
        return migrate ? await MigrateAsync(options) : await RunSiloAsync(builder, options);
    }

    private static async Task<int> MigrateAsync(PortalOptions options)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
        var logger = loggers.CreateLogger(typeof(SiloProgram));
        try
        {
            var database = PortalDatabase.FromOptions(options);
            var applied = await new DatabaseMigrator(database, loggers.CreateLogger<DatabaseMigrator>()).MigrateAsync(cancellation.Token);
            logger.LogInformation("Migration finished: {Count} applied", applied.Count);
            return 0;
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or OperationCanceledException or ArgumentException)
        {
            logger.LogError(exception, "Migration failed: {Message}", exception.Message);
            await Console.Error.WriteLineAsync($"Migration failed: {exception.Message}");
            return 1;
        }
    }

    private static async Task<int> RunSiloAsync(WebApplicationBuilder builder, PortalOptions options)
    {
        builder.Services.AddPortalDatabase(options);
        builder.UseOrleans(silo =>
        {
            silo.AddPortalSilo(options);
            silo.AddDashboard();
        });

        // Long enough for the silo to hand over its activations and leave the membership table cleanly on SIGTERM.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

        var healthPort = options.Orleans.HealthPort;
        var dashboardPort = options.Orleans.DashboardPort;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(healthPort);
            kestrel.ListenAnyIP(dashboardPort);
        });

        var app = builder.Build();
        var health = app.MapGroup("/health").RequireHost($"*:{healthPort}");
        health.MapGet("/live", () => Results.Text("live"));
        health.MapGet("/ready", async (IClusterReadiness cluster, IDatabaseProbe database, CancellationToken cancellationToken) =>
            cluster.IsConnected && await database.PingAsync(cancellationToken)
                ? Results.Text("ready")
                : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapOrleansDashboard().RequireHost($"*:{dashboardPort}");

        await app.RunAsync();
        return 0;
    }
}
