using System.Globalization;
using System.Net;

namespace Portal.LoadGen;

/// <summary>Command-line options; every count and duration is bounded so a run always stops by itself.</summary>
public sealed class LoadOptions
{
    public const int MaxConnections = 20_000;
    public const int MaxProjects = 10_000;
    public const int MaxRate = 5_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    public string Mode { get; private set; } = "push";
    public Uri Target { get; private set; } = new("http://127.0.0.1:5080");
    public string ApiKey { get; private set; } = Environment.GetEnvironmentVariable("PORTAL_API_KEY") ?? "";
    public int Projects { get; private set; } = 100;
    public int Connections { get; private set; } = 1_000;
    public int Rate { get; private set; } = 100;
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(20);
    public int Batch { get; private set; } = 100;
    public int EchoSamples { get; private set; } = 500;
    public int AcceptWarmup { get; private set; } = 20;
    public int SerialAccepts { get; private set; } = 100;
    public IReadOnlyList<string> Transitions { get; private set; } = ["payments"];
    public string Output { get; private set; } = "loadgen-result.json";
    public bool AllowRemote { get; private set; }
    public int? ServerPid { get; private set; }
    public string? WebhookSecret { get; private set; } = Environment.GetEnvironmentVariable("PORTAL_STRIPE_WEBHOOK_SECRET");

    public static string Usage => """
        Portal.LoadGen — drives a portal and measures live push latency.

          dotnet run --project tools/Portal.LoadGen -c Release -- --api-key KEY [options]

          --mode push|connections   push (default): create projects, open pages, drive changes, measure latency;
                                    connections: open C portal connections that watch nothing, then C that
                                    each watch a project, and report the server's resident memory per
                                    connection (needs --server-pid; Linux /proc)
          --server-pid PID          the portal's process id, for the connections mode (same machine)
          --url URL                 the portal (default http://127.0.0.1:5080; loopback only unless --allow-remote)
          --api-key KEY             staff API key (or PORTAL_API_KEY)
          --projects N              projects to create, each with a sent quote and invoice (default 100, max 10000)
          --connections C           portal SignalR connections, WebSockets (default 1000, max 20000)
          --batch B                 connections opened at once (default 100)
          --rate R                  changes per second (default 100, max 5000)
          --duration T              seconds of load (default 20, max 600)
          --transitions LIST        payments,bookings,accepts,webhooks, taken in turn (default payments); accepts
                                    sign prepared quotes through the client's POST /portal/proposals/{id}/accept;
                                    webhooks deliver signed Stripe payment_intent.succeeded events (£1.00 each)
          --webhook-secret S        the portal's Portal:Stripe:WebhookSecret, for webhooks
                                    (or PORTAL_STRIPE_WEBHOOK_SECRET)
          --echo-samples E          echo round trips for the baseline (default 500)
          --accept-warmup W         with accepts: accepts made (unmeasured) before any timing, so the signing
                                    path is compiled and warm like the booking baseline's (default 20; 0 = none)
          --serial-accepts S        with accepts: accepts made one at a time after the warm-up, compared with the
                                    booking baseline (default 100; 0 = none)
          --out FILE                JSON results (default loadgen-result.json)
          --allow-remote            allow a non-loopback target (only one you own)
        """;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--mode":
                    var mode = Value();
                    options.Mode = mode is "push" or "connections" ? mode : throw new ArgumentException("--mode is push or connections.");
                    break;
                case "--url": options.Target = new Uri(Value()); break;
                case "--api-key": options.ApiKey = Value(); break;
                case "--projects": options.Projects = Bounded(name, Value(), 1, MaxProjects); break;
                case "--connections": options.Connections = Bounded(name, Value(), 1, MaxConnections); break;
                case "--batch": options.Batch = Bounded(name, Value(), 1, 1_000); break;
                case "--rate": options.Rate = Bounded(name, Value(), 1, MaxRate); break;
                case "--duration": options.Duration = TimeSpan.FromSeconds(Bounded(name, Value(), 1, (int)MaxDuration.TotalSeconds)); break;
                case "--echo-samples": options.EchoSamples = Bounded(name, Value(), 10, 100_000); break;
                case "--accept-warmup": options.AcceptWarmup = Bounded(name, Value(), 0, 1_000); break;
                case "--serial-accepts": options.SerialAccepts = Bounded(name, Value(), 0, 10_000); break;
                case "--transitions": options.Transitions = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                case "--out": options.Output = Value(); break;
                case "--allow-remote": options.AllowRemote = true; break;
                case "--server-pid": options.ServerPid = Bounded(name, Value(), 1, int.MaxValue); break;
                case "--webhook-secret": options.WebhookSecret = Value(); break;
                case "--help" or "-h": throw new ArgumentException("");
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            throw new ArgumentException("--api-key (or PORTAL_API_KEY) is required.");
        }
        if (!options.AllowRemote && !IsLoopback(options.Target))
        {
            throw new ArgumentException($"{options.Target} is not a loopback address; pass --allow-remote only for a server you own.");
        }
        if (options.Mode == "connections" && options.ServerPid is null)
        {
            throw new ArgumentException("--mode connections needs --server-pid (the portal's process id on this machine).");
        }
        foreach (var transition in options.Transitions)
        {
            if (transition is not ("payments" or "bookings" or "accepts" or "webhooks"))
            {
                throw new ArgumentException($"Unknown transition '{transition}'.");
            }
            if (transition == "webhooks" && string.IsNullOrWhiteSpace(options.WebhookSecret))
            {
                throw new ArgumentException("The webhooks transition needs --webhook-secret (the portal's Portal:Stripe:WebhookSecret).");
            }
        }
        return options;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static int Bounded(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}.");
}
