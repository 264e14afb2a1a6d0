using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Portal.Silo.DataProtection;
using Portal.Silo.Hosting;
using Portal.Web.Api;
using Portal.Web.Application;
using Portal.Web.Auth;
using Portal.Web.Bootstrap;
using Portal.Web.ClientPortal;
using Portal.Web.Links;
using Portal.Web.Live;
using Portal.Web.Mail;
using Portal.Web.Mailbox;
using Portal.Web.Payments;

namespace Portal.Web.Hosting;

/// <summary>Composes the web application. Tests build it in-process on a real Kestrel with their own arguments.</summary>
public static class PortalWebApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The web root travels with the build output, so the app serves its assets wherever it is started from.
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Pages are discovered from the application assembly; name it, since tests host the app in-process.
            ApplicationName = typeof(PortalWebApp).Assembly.GetName().Name,
            WebRootPath = Directory.Exists(webRoot) ? webRoot : null,
        });
        configure?.Invoke(builder);
        var trustProxies = builder.AddPortalForwardedHeaders();
        builder.AddPortalTransportSecurity();

        builder.AddPortalOrleans();
        // Before anything else adds Data Protection: its key ring lives in the portal database, shared by every node.
        builder.Services.AddPortalDataProtection();

        builder.Services.AddProblemDetails();
        builder.Services.AddPortalApiDocument();
        builder.Services.AddExceptionHandler<PortalExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        builder.Services.AddSingleton<PublicUrls>();
        builder.Services.AddSingleton<PortalLinkIssuer>();
        builder.Services.AddSingleton<ClientPortalLinks>();
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddSingleton<DemoStaff>();
        builder.Services.AddSingleton<StaffOperations>();
        builder.Services.AddSingleton<Portal.Web.Application.Exports.CompanyExports>();
        builder.Services.AddSingleton<DocumentMailer>();
        builder.Services.AddDevMailboxAccess();
        builder.Services.AddSingleton<BootstrapState>();
        builder.Services.AddHostedService<StartupBootstrapper>();
        builder.Services.AddPortalAuthentication();
        builder.Services.AddClientSessions();
        builder.Services.AddPortalLive(builder.Configuration);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<PortalContext>();
        builder.Services.AddSingleton<FailureLimiter>();
        builder.Services.AddPortalRateLimits(builder.Configuration);
        builder.Services.AddOptions<DownloadOptions>().Bind(builder.Configuration.GetSection(DownloadOptions.Section))
            .Validate(o => o.MaxConcurrentPerClient >= 1, "Portal:Downloads:MaxConcurrentPerClient must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton<DownloadSlots>();
        builder.Services.AddSingleton<StripeCheckout>();
        builder.Services.AddRazorPages();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "portal_af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        // Link tokens travel in the path of /p/{token}; request logs must never carry them. The framework's request
        // logging and its request scope (which holds the raw path) are off; LogRedaction gives a safe scope instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);

        var app = builder.Build();
        if (trustProxies)
        {
            app.UseForwardedHeaders();
        }
        else
        {
            app.UseUnconfiguredProxyWarning();
        }
        app.UsePortalTransportSecurity();
        app.UseSafeRequestScope();

        // Status-code pages sit outside the exception handler: a refusal answered to a page's plain form post is a bare
        // status (PortalExceptionHandler), which becomes the friendly error page here.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api") || c.Request.Path.StartsWithSegments("/health"),
            api => api.UseStatusCodePages());
        app.UseWhen(c => !(c.Request.Path.StartsWithSegments("/api") || c.Request.Path.StartsWithSegments("/health")),
            pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseExceptionHandler();
        app.UsePortalSecurityHeaders();
        app.UseStaticFiles();
        app.UseRouting();
        // Before authentication, so a flood is refused before it costs a key lookup.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseStaffActing();
        app.UseAntiforgery();

        app.MapGet("/", () => Results.Redirect("/portal/projects"));
        app.MapHealthEndpoints();
        app.MapStaffApi();
        app.MapStaffPasskeys();
        // The staff API's shape is no secret (docs/api.md describes it too), so its document needs no key.
        app.MapOpenApi(ApiDocument.Path).AllowAnonymous();
        app.MapPortalEndpoints();
        app.MapPaymentEndpoints();
        if (app.Services.GetService<Portal.Silo.Mail.DevMailbox>() is not null)
        {
            app.MapDevMailbox();
        }
        app.MapPortalLive();
        app.MapRazorPages();

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
