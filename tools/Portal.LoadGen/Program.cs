using Portal.LoadGen;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException problem)
{
    if (problem.Message.Length > 0)
    {
        Console.Error.WriteLine(problem.Message);
        Console.Error.WriteLine();
    }
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

// Bounded in time whatever happens: the run's own duration plus generous set-up time.
using var cancel = new CancellationTokenSource(options.Duration + TimeSpan.FromMinutes(15));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

using var api = new PortalApi(options.Target, options.ApiKey);
try
{
    var company = await api.GetAsync("/api/company", cancel.Token);
    Console.WriteLine($"Target {options.Target} ({company["name"]}); open-file limit here: {OpenFileLimit()}");
    var result = options.Mode == "connections"
        ? await new ConnectionRun(options, api).RunAsync(cancel.Token)
        : await new PushRun(options, api).RunAsync(cancel.Token);
    result["machine"] = new System.Text.Json.Nodes.JsonObject
    {
        ["processorCount"] = Environment.ProcessorCount,
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ["openFileLimit"] = OpenFileLimit(),
        ["at"] = DateTimeOffset.UtcNow,
    };
    await File.WriteAllTextAsync(options.Output, result.ToJsonString(PortalApi.Json), cancel.Token);
    Console.WriteLine($"Results written to {Path.GetFullPath(options.Output)}");
    return 0;
}
catch (Exception failure) when (failure is HttpRequestException or OperationCanceledException or InvalidOperationException)
{
    Console.Error.WriteLine($"The run stopped: {failure.Message}");
    return 1;
}

static string OpenFileLimit()
{
    try
    {
        // /proc/self/limits: "Max open files  <soft>  <hard>  files"
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 5 } ? $"{parts[3]} (hard {parts[4]})" : "unknown";
    }
    catch (IOException)
    {
        return "unknown";
    }
}
