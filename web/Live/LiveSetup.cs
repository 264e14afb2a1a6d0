using Portal.Web.Auth;

namespace Portal.Web.Live;

/// <summary>Composition of live updates: SignalR, the node registry, staff feed authentication, hubs and routes.</summary>
public static class LiveSetup
{
    public static IServiceCollection AddPortalLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>().Bind(configuration.GetSection(LiveOptions.Section))
            .Validate(o => o.RefreshInterval > TimeSpan.Zero && o.RefreshInterval < ProjectGrainExpiry,
                $"Portal:Live:RefreshInterval must be positive and shorter than the grains' observer expiry ({ProjectGrainExpiry}).")
            .ValidateOnStart();
        services.AddSignalR();
        services.AddSingleton<LiveRegistry>();
        services.AddHostedService<LiveRefreshService>();
        services.AddStaffLiveAuthentication();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalLive(this IEndpointRouteBuilder app)
    {
        app.MapHub<PortalHub>("/hubs/portal");
        app.MapHub<StaffHub>("/hubs/staff");
        app.MapHub<EchoHub>("/hubs/echo");

        // What this node watches, for tests and the load generator; ?gc=true collects first to report live memory.
        app.MapGet("/api/live/node", (LiveRegistry registry, bool? gc) =>
        {
            if (gc == true)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
            return TypedResults.Ok(new { stats = registry.Stats, gcHeapBytes = GC.GetTotalMemory(forceFullCollection: false), workingSetBytes = Environment.WorkingSet });
        }).RequireAuthorization(StaffClaims.Policy);
        return app;
    }

    private static TimeSpan ProjectGrainExpiry => Portal.Grains.ProjectGrain.ObserverExpiry;
}
