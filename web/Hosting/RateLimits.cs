using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Api;
using Portal.Web.Auth;

namespace Portal.Web.Hosting;

/// <summary>The <c>Portal:RateLimits</c> section. Every limit counts per client network (an IPv4 address or IPv6 /64) unless said.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Portal:RateLimits";

    /// <summary>Off only for load tests on loopback (the load generator opens thousands of pages from one address). Default: on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Every request except the staff API (limited per key), health, the Stripe webhook and static assets. Default: 600 a minute.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>Portal link entries (<c>/p/{token}</c>), valid or not. Default: 30 a minute.</summary>
    public int LinkEntriesPerMinute { get; set; } = 30;

    /// <summary>Staff sign-in page requests (form and post). Default: 20 a minute.</summary>
    public int SignInsPerMinute { get; set; } = 20;

    /// <summary>SignalR requests (negotiate and connect; a connection takes two). Default: 120 a minute.</summary>
    public int HubRequestsPerMinute { get; set; } = 120;

    /// <summary>SignalR connections open at once. Default: 200.</summary>
    public int HubConnections { get; set; } = 200;

    /// <summary>Staff API requests a second per API key (bursts up to twice that). Default: 100.</summary>
    public int ApiRequestsPerSecond { get; set; } = 100;

    internal bool IsValid() =>
        RequestsPerMinute >= 1 && LinkEntriesPerMinute >= 1 && SignInsPerMinute >= 1 && HubRequestsPerMinute >= 1
        && HubConnections >= 1 && ApiRequestsPerSecond >= 1;
}

/// <summary>
/// ASP.NET Core's rate limiter in front of everything a stranger can reach: a global limit per network, tighter ones on
/// link entry, sign-in and hub connections, and the staff API per key. A refusal is a 429 with <c>Retry-After</c>:
/// problem details (<see cref="RuleCodes.RequestRateLimited"/>) for the API, hubs and scripts, the friendly page for
/// people. Failed credentials are limited separately (<see cref="FailureLimiter"/>).
/// </summary>
public static class RateLimits
{
    public const string LinkEntryPolicy = "link-entry";
    public const string SignInPolicy = "sign-in";
    public const string HubPolicy = "hubs";
    public const string ApiPolicy = "api";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        if (!options.IsValid())
        {
            throw new InvalidOperationException($"{RateLimitOptions.Section}: every limit must be at least 1.");
        }
        services.AddSingleton(options);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            if (!options.Enabled)
            {
                foreach (var policy in (string[])[LinkEntryPolicy, SignInPolicy, HubPolicy, ApiPolicy])
                {
                    limiter.AddPolicy(policy, _ => RateLimitPartition.GetNoLimiter(""));
                }
                return;
            }
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsExempt(context.Request.Path)
                    ? RateLimitPartition.GetNoLimiter("")
                    : PerMinute(Network(context), options.RequestsPerMinute)),
                // A WebSocket request lasts as long as its connection, so a concurrency limit on hub requests caps open connections.
                PartitionedRateLimiter.Create<HttpContext, string>(context => context.Request.Path.StartsWithSegments("/hubs")
                    ? RateLimitPartition.GetConcurrencyLimiter(Network(context), _ => new ConcurrencyLimiterOptions { PermitLimit = options.HubConnections, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("")));
            limiter.AddPolicy(LinkEntryPolicy, context => PerMinute(Network(context), options.LinkEntriesPerMinute));
            limiter.AddPolicy(SignInPolicy, context => PerMinute(Network(context), options.SignInsPerMinute));
            limiter.AddPolicy(HubPolicy, context => PerMinute(Network(context), options.HubRequestsPerMinute));
            limiter.AddPolicy(ApiPolicy, context => RateLimitPartition.GetTokenBucketLimiter(ApiCaller(context), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.ApiRequestsPerSecond * 2,
                TokensPerPeriod = options.ApiRequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        });
        return services;
    }

    /// <summary>Where the global limit does not apply: the API (per key instead), health probes, Stripe (signed, and it retries) and the error page a refusal shows.</summary>
    private static bool IsExempt(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/webhooks")
        || path.StartsWithSegments("/error");

    private static string Network(HttpContext context) => FailureLimiter.NetworkOf(context.Connection.RemoteIpAddress);

    // A sliding window of six 10-second segments: no double burst at a window's edge.
    private static RateLimitPartition<string> PerMinute(string network, int permits) =>
        RateLimitPartition.GetSlidingWindowLimiter(network, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    /// <summary>The API's partition: the presented key (by its hash, never the key itself), or the network when there is none.</summary>
    private static string ApiCaller(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        return header is { Length: > 7 } && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? "key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())))
            : "net:" + Network(context);
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 10;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits).FullName!)
            .LogDebug("Rate limit reached on {Path}", context.Request.Path.StartsWithSegments("/p") ? "/p/…" : context.Request.Path.Value);
        if (PortalProblems.WantsProblem(context.Request) || context.Request.Path.StartsWithSegments("/hubs"))
        {
            await TooManyRequestsAsync(context, seconds, cancellationToken);
        }
        // Otherwise the body stays empty and the status-code pages show people the friendly "Too many attempts" page.
    }

    /// <summary>Writes the 429 problem; also used when failed credentials from a network are refused.</summary>
    public static Task TooManyRequestsAsync(HttpContext context, int retryAfterSeconds, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var problem = PortalProblems.Create(StatusCodes.Status429TooManyRequests, RuleCodes.RequestRateLimited,
            $"Too many requests. Try again in {retryAfterSeconds} seconds.");
        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
    }
}
