using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Portal.Web.Hosting;

/// <summary>
/// Honours X-Forwarded-For/-Proto only from the proxies named in <c>Portal:ForwardedHeaders</c>. Off by default:
/// without a trusted proxy anyone could write any address into the header, and the client IP kept as signing
/// evidence would be whatever they claimed.
/// </summary>
public static class ForwardedHeadersSetup
{
    public const string Section = "Portal:ForwardedHeaders";

    /// <summary>Registers the options when proxies are configured; returns whether the headers are honoured.</summary>
    public static bool AddPortalForwardedHeaders(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(Section);
        var proxies = List(section.GetSection("KnownProxies"))
            .Select(p => IPAddress.TryParse(p, out var address) ? address : throw new InvalidOperationException($"{Section}:KnownProxies: '{p}' is not an IP address."))
            .ToList();
        var networks = List(section.GetSection("KnownNetworks"))
            .Select(n => System.Net.IPNetwork.TryParse(n, out var network) ? network : throw new InvalidOperationException($"{Section}:KnownNetworks: '{n}' is not a network in CIDR form (e.g. 10.0.0.0/8)."))
            .ToList();
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return false;
        }
        var limit = section.GetValue<int?>("ForwardLimit") ?? 1;
        if (limit < 1)
        {
            throw new InvalidOperationException($"{Section}:ForwardLimit must be at least 1.");
        }

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = limit;
            // The defaults trust loopback; only what is configured is trusted here.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
        });
        return true;
    }

    // Accepts a list ("KnownProxies:0", "KnownProxies:1", … or a JSON array) or one comma-separated value.
    private static IEnumerable<string> List(IConfigurationSection section)
    {
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "");
        return values
            .SelectMany(v => v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(v => v.Length > 0);
    }

    /// <summary>
    /// Without trusted proxies, says loudly (once per process, at Warning) when requests arrive carrying
    /// X-Forwarded-For: Portal is behind a proxy it was not told about, so every client shares the proxy's address
    /// in failure counting, rate limits and signing evidence. Portal still starts (a proxy cannot be detected before
    /// the first request); operators set <c>Portal:ForwardedHeaders:KnownProxies</c> or <c>KnownNetworks</c>.
    /// </summary>
    public static IApplicationBuilder UseUnconfiguredProxyWarning(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ForwardedHeadersSetup).FullName!);
        var warned = 0;
        return app.Use((context, next) =>
        {
            if (Volatile.Read(ref warned) == 0
                && context.Request.Headers.ContainsKey("X-Forwarded-For")
                && Interlocked.Exchange(ref warned, 1) == 0)
            {
                logger.LogWarning(
                    "Requests arrive through a proxy (X-Forwarded-For from {Proxy}) but {Section} is not set: every client shares the proxy's address for failure limits, rate limits and signing evidence. Set {Section}:KnownProxies or KnownNetworks to the proxy's address",
                    context.Connection.RemoteIpAddress, Section, Section);
            }
            return next(context);
        });
    }
}
