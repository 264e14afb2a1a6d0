using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace Portal.LoadGen;

/// <summary>
/// The push measurement: N projects (each with a sent quote and invoice), C portal connections watching them,
/// then R changes per second for T seconds through the staff API, timing each change from sending the request
/// to each watching connection receiving its event. One change per project is in flight at a time, so each
/// event belongs to exactly one change (every change is one stored project version).
/// </summary>
public sealed partial class PushRun(LoadOptions options, PortalApi api)
{
    private static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(5);

    private readonly Latencies _push = new();
    private readonly Latencies _api = new();
    private readonly Lock _gate = new();
    private Project[] _projects = [];
    private long _apiErrors;
    private long _lost;
    private long _receipts;
    private long _completed;
    private long _skipped;
    private readonly Dictionary<string, long> _errorKinds = [];

    private sealed class Project(Guid id, Guid clientId, Guid invoiceId, Guid quoteId, int index)
    {
        /// <summary>Sent quotes kept for accepts (each can be accepted once), the session that may sign them and its antiforgery token.</summary>
        public Queue<Guid> AcceptQuotes { get; } = new();
        public HttpClient? Portal { get; set; }
        public string? AntiforgeryToken { get; set; }
        /// <summary>The terms version the sign form shows; the quotes prepared in the same run pin the same version.</summary>
        public string? TermsVersion { get; set; }

        public Guid Id { get; } = id;
        public Guid ClientId { get; } = clientId;
        public Guid InvoiceId { get; } = invoiceId;
        public Guid QuoteId { get; } = quoteId;
        public int Index { get; } = index;
        public int Watchers { get; set; }
        public long Version { get; set; }
        public Change? InFlight { get; set; }
    }

    private sealed class Change(long sent, long baseVersion)
    {
        public long Sent { get; } = sent;
        public long BaseVersion { get; } = baseVersion;
        public int Received { get; set; }
        public bool Answered { get; set; }
        public HashSet<int> Connections { get; } = [];
    }

    public async Task<JsonObject> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine($"Creating {options.Projects} projects with a sent quote and invoice …");
        _projects = await CreateProjectsAsync(cancellationToken);

        Console.WriteLine("Opening portal sessions (one link per client) …");
        var sessions = new CookieContainer[_projects.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, _projects.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => sessions[i] = await api.OpenPortalSessionAsync(_projects[i].ClientId, ct));

        var transitions = options.Transitions.Distinct().ToList();
        if (transitions.Contains("accepts"))
        {
            await PrepareAcceptsAsync(sessions, transitions, cancellationToken);
        }

        Console.WriteLine($"Opening {options.Connections} portal connections (WebSockets, batches of {options.Batch}) …");
        var factories = Enumerable.Range(0, options.Connections)
            .Select(i => (Func<HubConnection>)(() => Hubs.Portal(api.Target, sessions[i % _projects.Length]))).ToList();
        var (connections, connectFailures) = await Hubs.OpenInBatchesAsync(factories, options.Batch, async (connection, index) =>
        {
            var project = _projects[index % _projects.Length];
            connection.On<ProjectChanged>("projectChanged", change => OnEvent(index, change));
            var version = await connection.InvokeAsync<long>("Watch", project.Id, 0L, true, cancellationToken);
            lock (_gate)
            {
                project.Watchers++;
                project.Version = Math.Max(project.Version, version);
            }
        }, "portal connections", cancellationToken);

        try
        {
            Console.WriteLine("Measuring the baseline (idle): HTTP round trip, one durable write, SignalR echo …");
            var baseline = await Baseline.MeasureAsync(api, connections[0], options.EchoSamples, _projects[0].Id, cancellationToken);
            var serialAccepts = transitions.Contains("accepts") ? await MeasureSerialAcceptsAsync(cancellationToken) : new Summary(0, 0, 0, 0, 0, 0);

            Console.WriteLine($"Driving {options.Rate} changes/s for {options.Duration.TotalSeconds:0} s ({string.Join(", ", transitions)}) …");
            var echoUnderLoad = new Latencies();
            using var stopEcho = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var echoLoop = Baseline.EchoLoopAsync(connections[^1], echoUnderLoad, TimeSpan.FromMilliseconds(50), stopEcho.Token);
            var drive = Stopwatch.StartNew();
            var sent = await DriveAsync(transitions, cancellationToken);
            var driven = drive.Elapsed;
            await DrainAsync(cancellationToken);
            await stopEcho.CancelAsync();
            await echoLoop;

            var push = _push.Summarise();
            var echoIdle = baseline.Echo;
            var composite = baseline.Write.P50 + echoIdle.P50;
            var apiUnderLoad = _api.Summarise();
            var echoLoaded = echoUnderLoad.Summarise();
            // The same comparison with both legs measured under the run's own load: the driven API call (HTTP and
            // its durable writes) plus an echo taken while the changes flow. With `--transitions bookings` that
            // call is exactly one durable write.
            var compositeUnderLoad = apiUnderLoad.P50 + echoLoaded.P50;
            var result = new JsonObject
            {
                ["mode"] = "push",
                ["target"] = api.Target.ToString(),
                ["projects"] = _projects.Length,
                ["connections"] = connections.Count,
                ["connectFailures"] = connectFailures,
                ["rate"] = options.Rate,
                ["durationSeconds"] = driven.TotalSeconds,
                ["transitions"] = new JsonArray([.. transitions.Select(t => (JsonNode)t)]),
                ["changesSent"] = sent,
                ["changesCompleted"] = Interlocked.Read(ref _completed),
                ["changesPerSecond"] = sent / driven.TotalSeconds,
                ["receipts"] = Interlocked.Read(ref _receipts),
                ["receiptsPerSecond"] = Interlocked.Read(ref _receipts) / driven.TotalSeconds,
                ["apiErrors"] = Interlocked.Read(ref _apiErrors),
                ["errorKinds"] = new JsonObject([.. _errorKinds.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))]),
                ["lostReceipts"] = Interlocked.Read(ref _lost),
                ["skippedNoFreeProject"] = Interlocked.Read(ref _skipped),
                ["pushLatencyMs"] = Node(push),
                ["apiLatencyMs"] = Node(_api.Summarise()),
                ["baselineMs"] = new JsonObject
                {
                    ["httpRoundTrip"] = Node(baseline.Http),
                    ["httpPlusOneDurableWrite"] = Node(baseline.Write),
                    ["signalrEchoIdle"] = Node(echoIdle),
                    ["signalrEchoUnderLoad"] = Node(echoUnderLoad.Summarise()),
                    ["acceptOneAtATime"] = Node(serialAccepts),
                },
                ["ratio"] = new JsonObject
                {
                    ["pushP50OverEchoP50"] = Ratio(push.P50, echoIdle.P50),
                    ["pushP50OverHttpWriteEchoP50"] = Ratio(push.P50, composite),
                    ["pushP50OverApiCallPlusEchoUnderLoadP50"] = Ratio(push.P50, compositeUnderLoad),
                    ["target"] = "push p50 <= 1.5 x (HTTP round trip + one durable write + WebSocket round trip)",
                    ["acceptOneAtATimeP50OverBookingP50"] = Ratio(serialAccepts.P50, baseline.Write.P50),
                },
                ["acceptWarmup"] = transitions.Contains("accepts") ? options.AcceptWarmup : 0,
                ["totalSeconds"] = total.Elapsed.TotalSeconds,
            };

            Console.WriteLine();
            Console.WriteLine($"Changes: {sent} sent in {driven.TotalSeconds:0.0} s ({sent / driven.TotalSeconds:0.0}/s), {Interlocked.Read(ref _completed)} completed, {Interlocked.Read(ref _apiErrors)} API errors, {Interlocked.Read(ref _lost)} receipts lost, {Interlocked.Read(ref _skipped)} ticks without a free project");
            Console.WriteLine($"Receipts: {Interlocked.Read(ref _receipts)} ({Interlocked.Read(ref _receipts) / driven.TotalSeconds:0}/s) on {connections.Count} connections");
            Console.WriteLine($"Push (API send → event on each watching connection): {push}");
            Console.WriteLine($"API call (send → response):                         {_api.Summarise()}");
            Console.WriteLine($"Baseline HTTP round trip (GET /health/live):        {baseline.Http}");
            Console.WriteLine($"Baseline HTTP + one durable write (add a booking):  {baseline.Write}");
            if (serialAccepts.Count > 0)
            {
                Console.WriteLine($"One accept at a time (after {options.AcceptWarmup} warm-up): {serialAccepts}");
                Console.WriteLine($"Ratio accept p50 / booking p50, one at a time:      {Ratio(serialAccepts.P50, baseline.Write.P50):0.00}");
            }
            Console.WriteLine($"Baseline SignalR echo, idle:                        {echoIdle}");
            Console.WriteLine($"Baseline SignalR echo, under load:                  {echoUnderLoad.Summarise()}");
            Console.WriteLine($"Ratio push p50 / echo p50:                          {Ratio(push.P50, echoIdle.P50):0.00}");
            Console.WriteLine($"Ratio push p50 / (HTTP + write + echo) p50:         {Ratio(push.P50, composite):0.00}  (target ≤ 1.5; idle baselines)");
            Console.WriteLine($"Ratio push p50 / (API call + echo) p50, same load:  {Ratio(push.P50, compositeUnderLoad):0.00}  (both legs measured during the run)");
            return result;
        }
        finally
        {
            Console.WriteLine("Closing connections …");
            await Hubs.CloseAllAsync(connections);
            foreach (var project in _projects)
            {
                project.Portal?.Dispose();
            }
        }
    }

    private async Task<Project[]> CreateProjectsAsync(CancellationToken cancellationToken)
    {
        var projects = new Project[options.Projects];
        var done = 0;
        var validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var dueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Projects), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var clientId = Guid.Parse((await api.PostAsync("/api/clients", new { name = $"Load Client {i + 1}", email = $"load{i + 1}.{Guid.NewGuid():N}@example.com" }, ct))["id"]!.GetValue<string>());
            var projectId = Guid.Parse((await api.PostAsync("/api/projects", new { clientId, title = $"Load project {i + 1}" }, ct))["id"]!.GetValue<string>());
            var quoteId = Guid.Parse((await api.PostAsync($"/api/projects/{projectId}/proposals", new
            {
                kind = "quote",
                validUntil,
                lines = new[] { new { description = "Work", quantity = 1m, unitPrice = 1000m, vatRate = 20m } },
            }, ct))["id"]!.GetValue<string>());
            await api.PostAsync($"/api/proposals/{quoteId}/send", null, ct);
            // Large enough for a run of small payments never to pay it off.
            var invoiceId = Guid.Parse((await api.PostAsync($"/api/projects/{projectId}/invoices", new
            {
                dueDate,
                lines = new[] { new { description = "Staged payments", quantity = 1m, unitPrice = 10_000_000m, vatRate = 0m } },
            }, ct))["id"]!.GetValue<string>());
            await api.PostAsync($"/api/invoices/{invoiceId}/send", null, ct);
            projects[i] = new Project(projectId, clientId, invoiceId, quoteId, i);
            var n = Interlocked.Increment(ref done);
            if (n % 50 == 0 || n == options.Projects)
            {
                Console.WriteLine($"  projects: {n}/{options.Projects}");
            }
        });
        return projects;
    }

    /// <summary>
    /// Accepts are the client's: each needs a sent quote of its own (a quote is accepted once), the client's portal
    /// session and an antiforgery token, all prepared here so the measured request is the accept alone.
    /// </summary>
    private async Task PrepareAcceptsAsync(CookieContainer[] sessions, List<string> transitions, CancellationToken cancellationToken)
    {
        var share = (double)transitions.Count(t => t == "accepts") / transitions.Count;
        var serial = (int)Math.Ceiling((double)(options.AcceptWarmup + options.SerialAccepts) / _projects.Length);
        var perProject = Math.Min(50 + serial, (int)Math.Ceiling(options.Rate * options.Duration.TotalSeconds * share / _projects.Length) + 2 + serial);
        Console.WriteLine($"Preparing {perProject} sent quotes per project for accepts …");
        var validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var done = 0;
        await Parallel.ForEachAsync(_projects, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (project, ct) =>
        {
            project.Portal = new HttpClient(new SocketsHttpHandler { CookieContainer = sessions[project.Index], UseCookies = true, AllowAutoRedirect = false })
            {
                BaseAddress = api.Target,
                Timeout = TimeSpan.FromSeconds(30),
            };
            // The proposal page carries the form's antiforgery token (and sets its cookie); one per session will do.
            var page = await project.Portal.GetStringAsync($"/portal/proposals/{project.QuoteId}", ct);
            var token = AntiforgeryField().Match(page);
            if (!token.Success)
            {
                throw new InvalidOperationException("The proposal page has no sign form (antiforgery token); this portal cannot be driven with accepts.");
            }
            project.AntiforgeryToken = WebUtility.HtmlDecode(token.Groups[1].Value);
            var terms = TermsVersionField().Match(page);
            project.TermsVersion = terms.Success ? terms.Groups[1].Value : null;
            for (var q = 0; q < perProject; q++)
            {
                var quoteId = Guid.Parse((await api.PostAsync($"/api/projects/{project.Id}/proposals", new
                {
                    kind = "quote",
                    validUntil,
                    lines = new[] { new { description = "Work", quantity = 1m, unitPrice = 1000m, vatRate = 20m } },
                }, ct))["id"]!.GetValue<string>());
                await api.PostAsync($"/api/proposals/{quoteId}/send", null, ct);
                lock (_gate)
                {
                    project.AcceptQuotes.Enqueue(quoteId);
                }
            }
            var n = Interlocked.Increment(ref done);
            if (n % 25 == 0 || n == _projects.Length)
            {
                Console.WriteLine($"  accept quotes: {n}/{_projects.Length} projects");
            }
        });
    }

    /// <summary>
    /// Accepts before the driven load: a warm-up (unmeasured, so the signing path is compiled and warm like the
    /// booking baseline's), then accepts one at a time, each on the next project, to compare with one booking.
    /// </summary>
    private async Task<Summary> MeasureSerialAcceptsAsync(CancellationToken cancellationToken)
    {
        var timed = new Latencies();
        for (var i = 0; i < options.AcceptWarmup + options.SerialAccepts; i++)
        {
            var project = _projects[i % _projects.Length];
            Guid quoteId;
            lock (_gate)
            {
                if (!project.AcceptQuotes.TryDequeue(out quoteId))
                {
                    break;
                }
            }
            long before;
            lock (_gate)
            {
                before = project.Version;
            }
            var started = Stopwatch.GetTimestamp();
            var status = await AcceptAsync(project, quoteId, cancellationToken);
            if (i >= options.AcceptWarmup)
            {
                timed.Add(Latencies.Since(started));
            }
            if (status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"A one-at-a-time accept answered {(int)status}.");
            }
            // One at a time means the whole change: the next starts once this one's push has reached the pages (the
            // project's new version), so its follow-up work (the project's write, the push) is not under the next.
            var deadline = Stopwatch.GetTimestamp() + (long)(ChangeTimeout.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                lock (_gate)
                {
                    if (project.Version > before)
                    {
                        break;
                    }
                }
                await Task.Delay(2, cancellationToken);
            }
        }
        return timed.Summarise();
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryField();

    [System.Text.RegularExpressions.GeneratedRegex("name=\"termsVersion\" value=\"([0-9]+)\"")]
    private static partial System.Text.RegularExpressions.Regex TermsVersionField();

    private async Task<long> DriveAsync(List<string> transitions, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(1.0 / options.Rate);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        var next = 0;
        var pending = new List<Task>();
        while (clock.Elapsed < options.Duration)
        {
            var due = interval * sent;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }
            var project = NextFree(ref next);
            sent++;
            if (project is null)
            {
                Interlocked.Increment(ref _skipped);
                continue;
            }
            pending.Add(SendChangeAsync(project, transitions[(int)(sent % transitions.Count)], cancellationToken));
            pending.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(pending);
        return sent - Interlocked.Read(ref _skipped);
    }

    private Project? NextFree(ref int next)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            for (var tried = 0; tried < _projects.Length; tried++)
            {
                var project = _projects[next];
                next = (next + 1) % _projects.Length;
                if (project.InFlight is { } stuck && Stopwatch.GetElapsedTime(stuck.Sent, now) > ChangeTimeout)
                {
                    _lost += project.Watchers - stuck.Received;
                    project.InFlight = null;
                }
                if (project.InFlight is null && project.Watchers > 0)
                {
                    project.InFlight = new Change(Stopwatch.GetTimestamp(), project.Version);
                    return project;
                }
            }
        }
        return null;
    }

    private async Task SendChangeAsync(Project project, string transition, CancellationToken cancellationToken)
    {
        Change change;
        lock (_gate)
        {
            change = project.InFlight!;
        }
        HttpStatusCode status;
        try
        {
            Guid? acceptQuote = null;
            if (transition == "accepts")
            {
                lock (_gate)
                {
                    acceptQuote = project.AcceptQuotes.Count > 0 ? project.AcceptQuotes.Dequeue() : null;
                }
            }
            status = transition switch
            {
                "accepts" when acceptQuote is { } quoteId => await AcceptAsync(project, quoteId, cancellationToken),
                "webhooks" => await api.DeliverWebhookAsync(
                    StripeEvents.PaymentSucceeded(project.InvoiceId, project.Id, 100, "gbp"), options.WebhookSecret!, cancellationToken),
                "bookings" => await api.SendAsync(HttpMethod.Post, $"/api/projects/{project.Id}/events", new
                {
                    name = "Visit",
                    startsAt = DateTimeOffset.UtcNow.AddDays(7),
                    endsAt = DateTimeOffset.UtcNow.AddDays(7).AddHours(1),
                }, cancellationToken),
                _ => await api.SendAsync(HttpMethod.Post, $"/api/invoices/{project.InvoiceId}/payments", new
                {
                    amount = 1.00m,
                    method = "bank_transfer",
                    reference = "load",
                }, cancellationToken),
            };
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
        {
            status = 0;
            Count(failure.GetType().Name);
        }
        _api.Add(Latencies.Since(change.Sent));
        lock (_gate)
        {
            change.Answered = true;
            if ((int)status is < 200 or > 299)
            {
                Interlocked.Increment(ref _apiErrors);
                if (status != 0)
                {
                    Count(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                if (project.InFlight == change)
                {
                    project.InFlight = null;
                }
                return;
            }
            CompleteIfDone(project, change);
        }
    }

    private static async Task<HttpStatusCode> AcceptAsync(Project project, Guid quoteId, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = project.AntiforgeryToken!,
            ["documentVersion"] = "1",
            ["method"] = "typed",
            ["typedName"] = $"Load Client {project.Index + 1}",
            ["consent"] = "yes",
        };
        if (project.TermsVersion is { } terms)
        {
            fields["termsVersion"] = terms;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/portal/proposals/{quoteId}/accept")
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await project.Portal!.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    private void OnEvent(int connection, ProjectChanged change)
    {
        var received = Stopwatch.GetTimestamp();
        var index = connection % _projects.Length;
        var project = _projects[index];
        if (project.Id != change.ProjectId)
        {
            return;
        }
        lock (_gate)
        {
            if (change.Version > project.Version)
            {
                project.Version = change.Version;
            }
            var inFlight = project.InFlight;
            if (inFlight is null || change.Version <= inFlight.BaseVersion || !inFlight.Connections.Add(connection))
            {
                return;
            }
            inFlight.Received++;
            _receipts++;
            _push.Add(Stopwatch.GetElapsedTime(inFlight.Sent, received).TotalMilliseconds);
            CompleteIfDone(project, inFlight);
        }
    }

    private void CompleteIfDone(Project project, Change change)
    {
        if (change.Answered && change.Received >= project.Watchers && project.InFlight == change)
        {
            project.InFlight = null;
            _completed++;
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ChangeTimeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                if (_projects.All(p => p.InFlight is null))
                {
                    return;
                }
            }
            await Task.Delay(50, cancellationToken);
        }
        lock (_gate)
        {
            foreach (var project in _projects.Where(p => p.InFlight is not null))
            {
                _lost += project.Watchers - project.InFlight!.Received;
                project.InFlight = null;
            }
        }
    }

    private void Count(string kind)
    {
        lock (_gate)
        {
            _errorKinds[kind] = _errorKinds.GetValueOrDefault(kind) + 1;
        }
    }

    public static JsonObject Node(Summary s) => new()
    {
        ["count"] = s.Count,
        ["p50"] = Math.Round(s.P50, 3),
        ["p90"] = Math.Round(s.P90, 3),
        ["p99"] = Math.Round(s.P99, 3),
        ["max"] = Math.Round(s.Max, 3),
        ["mean"] = Math.Round(s.Mean, 3),
    };

    private static double Ratio(double a, double b) => b <= 0 ? 0 : Math.Round(a / b, 3);
}
