using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Portal.Silo.Hosting;
using Portal.Web.Api;
using Portal.Web.Application;
using Portal.Web.Auth;
using Portal.Web.Bootstrap;
using Portal.Web.Links;

namespace Portal.Web.Hosting;

/// <summary>Composes the web application. Tests build it in-process on a real Kestrel with their own arguments.</summary>
public static class PortalWebApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        builder.AddPortalOrleans();

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<PortalExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        builder.Services.AddSingleton<PublicUrls>();
        builder.Services.AddSingleton<PortalLinkIssuer>();
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddSingleton<StaffOperations>();
        builder.Services.AddSingleton<BootstrapState>();
        builder.Services.AddHostedService<StartupBootstrapper>();
        builder.Services.AddPortalAuthentication();
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);

        var app = builder.Build();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthEndpoints();
        app.MapStaffApi();

        return app;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
    }
}
