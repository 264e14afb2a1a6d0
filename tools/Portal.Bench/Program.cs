using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal;
using Portal.Bench;
using Portal.Silo.Configuration;
using Portal.Silo.Hosting;
using Portal.Silo.Storage;

// Durable write path benchmark: a grain transition that writes state, against a direct call of our own write query
// through Npgsql at the same concurrency, on the same fresh database, in one run.

const string Usage = """
    Portal.Bench: durable write path, grain transition vs our own write query through Npgsql.

      dotnet run -c Release --project tools/Portal.Bench -- --pg "<connection string>" [--duration 5] [--warmup 1] [--callers 1,8,32]

      --pg        PostgreSQL server to create a fresh database on (or PORTAL_BENCH_PG). It starts nothing itself:
                  eval "$(bash tests/scripts/postgres.sh start)" gives one in $PORTAL_TEST_PG.
      --duration  seconds measured per step (default 5)
      --warmup    seconds run before each step and not counted (default 1)
      --callers   concurrency levels (default 1,8,32)
      --rounds    interleaved rounds per step; the median round is reported (default 3)
    """;

var settings = ParseArguments(args);
if (settings is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var (server, duration, warmUp, levels, rounds) = settings.Value;
const string ServiceId = "bench";
await using var database = await BenchDatabase.CreateAsync(server);
var writeQuery = await database.ReadWriteQueryAsync();
var portalConnectionString = NpgsqlConnectionStrings.Normalise(database.ConnectionString);

var options = new PortalOptions
{
    Database = { Provider = DatabaseProviders.Postgres, ConnectionString = database.ConnectionString },
    Orleans =
    {
        Mode = OrleansModes.Silo,
        ClusterId = ServiceId,
        ServiceId = ServiceId,
        AdvertisedAddress = IPAddress.Loopback.ToString(),
        SiloPort = FreePort(),
        GatewayPort = FreePort(),
    },
};
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo => silo.AddPortalSilo(options));
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();

Console.WriteLine($"Portal durable write benchmark: PostgreSQL {await database.ServerVersionAsync()}, {Environment.ProcessorCount} cores, " +
                  $"{duration.TotalSeconds:0.#} s per step after {warmUp.TotalSeconds:0.#} s warm-up, median of {rounds} interleaved rounds, one in-process silo");
Console.WriteLine(LoadAverage("load average before"));
Console.WriteLine();

// Every direct writer owns a row of its own, so none inherits another's version.
var keys = new KeySource();
var results = new List<Measurement>();
var companyId = await SeedCompanyAsync(grains);
var step = 0;
foreach (var callers in levels)
{
    step++;

    // (a) a real portal transition: add or remove a booking on a project (one state write each).
    var projects = new List<IProjectGrain>();
    for (var i = 0; i < callers; i++)
    {
        projects.Add(await NewProjectAsync(grains, companyId, $"Bench {step}-{i}"));
    }

    // (b) the smallest transition through the same storage: what Orleans itself adds to a write.
    var minimal = Enumerable.Range(0, callers).Select(_ => grains.GetGrain<IBenchStateGrain>(Guid.NewGuid())).ToArray();
    await Task.WhenAll(minimal.Select(g => g.Touch()));
    // The project's stored state with and without a booking: the two states the booking toggle alternates between.
    var added = await projects[0].AddBooking("Site visit", BookingStart, BookingStart.AddHours(2));
    var withBooking = await database.ReadPayloadAsync("project");
    await projects[0].RemoveBooking(added.Id);
    byte[][] projectPayloads = [await database.ReadPayloadAsync("project"), withBooking];
    byte[][] minimalPayloads = [await database.ReadPayloadAsync("bench")];

    // Each pair is measured in several interleaved rounds and the median round is kept: on a shared two-core
    // machine, load from anything else would otherwise favour whichever path happened to run in a quiet moment.
    var pairs = new (string Grain, Func<int, Func<Task>> GrainOp, string Direct, Func<int, Func<Task>> DirectOp)[]
    {
        ("grain: project booking", i => BookingToggle(projects[i]),
         $"direct: {projectPayloads[0].Length}/{projectPayloads[1].Length} B", i => new DirectWriter(portalConnectionString, writeQuery, ServiceId, "bench-direct-project", projectPayloads, keys.Next()).WriteAsync),
        ("grain: minimal state", i => minimal[i].Touch,
         $"direct: {minimalPayloads[0].Length} B", i => new DirectWriter(portalConnectionString, writeQuery, ServiceId, "bench-direct-minimal", minimalPayloads, keys.Next()).WriteAsync),
    };
    foreach (var (grainPath, grainOp, directPath, directOp) in pairs)
    {
        var grainRounds = new List<Measurement>();
        var directRounds = new List<Measurement>();
        for (var round = 0; round < rounds; round++)
        {
            grainRounds.Add(await Measurement.RunAsync(grainPath, callers, grainOp, warmUp, duration));
            directRounds.Add(await Measurement.RunAsync(directPath, callers, directOp, warmUp, duration));
        }

        results.Add(Measurement.Median(grainRounds));
        results.Add(Measurement.Median(directRounds));
    }
}

PrintWriteTable(results);

// The Npgsql settings NpgsqlConnectionStrings adds, each switched off in turn, on the direct path with the project payload.
var settingsResults = new List<(string Settings, Measurement Result)>();
var settingsProject = await NewProjectAsync(grains, companyId, "Bench settings");
var booking = await settingsProject.AddBooking("Site visit", BookingStart, BookingStart.AddHours(2));
var settingsWithBooking = await database.ReadPayloadAsync("project");
await settingsProject.RemoveBooking(booking.Id);
byte[][] payload = [await database.ReadPayloadAsync("project"), settingsWithBooking];
var variants = new (string Name, Action<NpgsqlConnectionStringBuilder> Change)[]
{
    ("portal defaults (No Reset On Close, Max Auto Prepare 32)", _ => { }),
    ("No Reset On Close=false", b => b.NoResetOnClose = false),
    ("Max Auto Prepare=0", b => b.MaxAutoPrepare = 0),
    ("both off (Npgsql defaults)", b => { b.NoResetOnClose = false; b.MaxAutoPrepare = 0; }),
};
foreach (var callers in levels.Where(c => c <= 8).DefaultIfEmpty(levels[0]))
{
    // Round-robin over the variants, so background work (autovacuum after the heavier steps, other processes)
    // does not land on one variant only.
    var variantRounds = variants.Select(_ => new List<Measurement>()).ToArray();
    for (var round = 0; round < rounds; round++)
    {
        for (var v = 0; v < variants.Length; v++)
        {
            var connection = new NpgsqlConnectionStringBuilder(portalConnectionString);
            variants[v].Change(connection);
            variantRounds[v].Add(await Measurement.RunAsync("direct", callers,
                i => new DirectWriter(connection.ConnectionString, writeQuery, ServiceId, "bench-settings", payload, keys.Next()).WriteAsync,
                warmUp, duration));
        }
    }

    for (var v = 0; v < variants.Length; v++)
    {
        settingsResults.Add((variants[v].Name, Measurement.Median(variantRounds[v])));
    }
}

PrintSettingsTable(settingsResults);
Console.WriteLine(LoadAverage("load average after"));
await host.StopAsync();
return 0;

static void PrintWriteTable(List<Measurement> results)
{
    Console.WriteLine("callers | path                     |  writes/s | p50 ms | p99 ms | grain/direct");
    Console.WriteLine("------: | ------------------------ | --------: | -----: | -----: | -----------:");
    for (var i = 0; i < results.Count; i += 2)
    {
        var grain = results[i];
        var direct = results[i + 1];
        Console.WriteLine(Row(grain, string.Empty));
        Console.WriteLine(Row(direct, (grain.WritesPerSecond / direct.WritesPerSecond).ToString("0.00", CultureInfo.InvariantCulture)));
    }

    Console.WriteLine();
}

static void PrintSettingsTable(List<(string Settings, Measurement Result)> results)
{
    Console.WriteLine("Npgsql settings, direct path (project payload):");
    Console.WriteLine("callers | settings                                                  |  writes/s | p50 ms | p99 ms | vs defaults");
    Console.WriteLine("------: | --------------------------------------------------------- | --------: | -----: | -----: | ----------:");
    foreach (var group in results.GroupBy(r => r.Result.Callers))
    {
        var baseline = group.First().Result.WritesPerSecond;
        foreach (var (settings, result) in group)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Callers,7} | {settings,-57} | {result.WritesPerSecond,9:0} | {result.P50Ms,6:0.00} | {result.P99Ms,6:0.00} | {result.WritesPerSecond / baseline,11:0.00}"));
        }
    }

    Console.WriteLine();
}

static string Row(Measurement m, string ratio) => string.Create(CultureInfo.InvariantCulture,
    $"{m.Callers,7} | {m.Path,-24} | {m.WritesPerSecond,9:0} | {m.P50Ms,6:0.00} | {m.P99Ms,6:0.00} | {ratio,12}");

static Func<Task> BookingToggle(IProjectGrain project)
{
    Guid? booking = null;
    var startsAt = BookingStart;
    return async () =>
    {
        if (booking is { } id)
        {
            await project.RemoveBooking(id);
            booking = null;
        }
        else
        {
            booking = (await project.AddBooking("Site visit", startsAt, startsAt.AddHours(2))).Id;
        }
    };
}

static async Task<Guid> SeedCompanyAsync(IGrainFactory grains)
{
    var companyId = Guid.NewGuid();
    await grains.GetGrain<ICompanyGrain>(companyId).Create("Bench Ltd");
    return companyId;
}

static async Task<IProjectGrain> NewProjectAsync(IGrainFactory grains, Guid companyId, string title)
{
    var company = grains.GetGrain<ICompanyGrain>(companyId);
    var client = await grains.GetGrain<IClientGrain>(Guid.NewGuid()).Create(companyId, new ClientDetails("Bench Client", "bench@example.com"));
    var project = await grains.GetGrain<IProjectGrain>(Guid.NewGuid())
        .Create(new CreateProject(companyId, client.Id, await company.AllocateProjectNumber(), title, null));
    return grains.GetGrain<IProjectGrain>(project.Id);
}

// Other work on the machine moves these figures; the load average says how much there was (Linux only).
static string LoadAverage(string label) =>
    File.Exists("/proc/loadavg") ? $"{label}: {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} (1, 5, 15 min)" : string.Empty;

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static (string Server, TimeSpan Duration, TimeSpan WarmUp, int[] Callers, int Rounds)? ParseArguments(string[] args)
{
    string? server = Environment.GetEnvironmentVariable("PORTAL_BENCH_PG");
    double duration = 5, warmUp = 1;
    var rounds = 3;
    int[] callers = [1, 8, 32];
    for (var i = 0; i < args.Length; i++)
    {
        var value = i + 1 < args.Length ? args[i + 1] : null;
        switch (args[i])
        {
            case "--pg" when value is not null:
                server = value;
                i++;
                break;
            case "--duration" when double.TryParse(value, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                duration = seconds;
                i++;
                break;
            case "--warmup" when double.TryParse(value, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0:
                warmUp = seconds;
                i++;
                break;
            case "--rounds" when int.TryParse(value, CultureInfo.InvariantCulture, out var count) && count > 0:
                rounds = count;
                i++;
                break;
            case "--callers" when value is not null:
                var parsed = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(c => int.TryParse(c, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0).ToArray();
                if (parsed.Length == 0 || parsed.Contains(0))
                {
                    return null;
                }

                callers = parsed;
                i++;
                break;
            default:
                return null;
        }
    }

    return string.IsNullOrWhiteSpace(server) ? null : (server, TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(warmUp), callers, rounds);
}

internal static partial class Program
{
    private static readonly DateTimeOffset BookingStart = new(2030, 1, 7, 9, 0, 0, TimeSpan.Zero);
}

internal sealed class KeySource
{
    private long _next;

    public long Next() => Interlocked.Increment(ref _next);
}
