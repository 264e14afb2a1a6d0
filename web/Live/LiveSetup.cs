using Portal.Web.Hosting;
namespace Portal.Web.Live;

/// <summary>Composition of live updates: SignalR, the node registry and its parts, staff feed authentication, hubs.</summary>
public static class LiveSetup
{
    public static IServiceCollection AddPortalLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>().Bind(configuration.GetSection(LiveOptions.Section))
            .Validate(o => o.RefreshInterval > TimeSpan.Zero && o.RefreshInterval < LiveSubscriptions.ObserverExpiry,
                $"Portal:Live:RefreshInterval must be positive and shorter than the grains' observer expiry ({LiveSubscriptions.ObserverExpiry}).")
            .Validate(o => o.MaxWatchesPerConnection >= 1, "Portal:Live:MaxWatchesPerConnection must be at least 1.")
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.AccessTokenLifetime <= TimeSpan.FromHours(1),
                "Portal:Live:AccessTokenLifetime must be positive and at most one hour.")
            .ValidateOnStart();
        services.AddSignalR();
        services.AddMetrics();
        services.AddSingleton<LiveMetrics>();
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<LinkRechecker>();
        services.AddSingleton<StaffRechecker>();
        services.AddSingleton<LiveRegistry>();
        services.AddSingleton<LiveAccessTokens>();
        services.AddHostedService<LiveRefreshService>();
        services.AddStaffLiveAuthentication();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalLive(this IEndpointRouteBuilder app)
    {
        app.MapHub<PortalHub>("/hubs/portal").RequireRateLimiting(RateLimits.HubPolicy);
        app.MapHub<StaffHub>("/hubs/staff").RequireRateLimiting(RateLimits.HubPolicy);
        return app;
    }
}
