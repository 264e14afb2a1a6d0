using System.Diagnostics;

namespace Portal.Tests.Cluster.Infrastructure;

/// <summary>
/// One real portal process (<c>dotnet Portal.Silo.dll</c> or <c>dotnet Portal.Web.dll</c>) whose stdout and stderr
/// go, line by line with a timestamp, to a log file under the test results. Disposing kills it if it still runs.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private bool _logClosed;

    private PortalProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static PortalProcess Start(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the test gives: a Portal__ variable or a URL of the developer's shell must not leak in.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("Portal__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("DOTNET_gc", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // Restarts of the same node append to its log, so one file tells the node's whole story.
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} ==== starting {name}: dotnet {string.Join(' ', start.ArgumentList)}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var portal = new PortalProcess(name, process, log);
        process.OutputDataReceived += (_, e) => portal.Write("out", e.Data);
        process.ErrorDataReceived += (_, e) => portal.Write("err", e.Data);
        process.Exited += (_, _) => portal.Write("---", "process exited");
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        portal.Write("---", $"pid {process.Id}");
        return portal;
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the membership table; what a crash looks like to the cluster.</summary>
    public void Kill()
    {
        if (_process.HasExited)
        {
            return;
        }

        Write("---", "kill -9 by the test");
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(15));
        lock (_logLock)
        {
            _logClosed = true;
            _log.Dispose();
        }

        _process.Dispose();
    }

    private void Write(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            if (!_logClosed)
            {
                _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{stream}] {line}");
            }
        }
    }
}
