using System.Net;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Storage;

namespace Portal.Silo.Mail;

/// <summary>
/// An SMTP server (the SmtpServer package) listening on a loopback port, handing every message to an
/// <see cref="IMessageStore"/>. Port 0 picks a free port; <see cref="Endpoint"/> tells which once started.
/// Used for the embedded mode's dev mailbox and by tests.
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop;
    private readonly Task _running;

    private LoopbackSmtpServer(SmtpServer.SmtpServer server, CancellationTokenSource stop, Task running, IPEndPoint endpoint)
    {
        _server = server;
        _stop = stop;
        _running = running;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public int Port => Endpoint.Port;

    public static async Task<LoopbackSmtpServer> StartAsync(IMessageStore store, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) =>
        {
            if (e.LocalEndPoint is IPEndPoint bound)
            {
                started.TrySetResult(bound);
            }
        };

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(store);
        var server = new SmtpServer.SmtpServer(options, services);

        var stop = new CancellationTokenSource();
        var running = server.StartAsync(stop.Token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var first = await Task.WhenAny(started.Task, running, Task.Delay(Timeout.Infinite, timeout.Token));
        if (first != started.Task)
        {
            await stop.CancelAsync();
            stop.Dispose();
            // A listener that could not bind (port taken) surfaces here with its own exception.
            await running.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            throw new InvalidOperationException($"The SMTP server did not start listening on 127.0.0.1:{port}.");
        }
        return new LoopbackSmtpServer(server, stop, running, await started.Task);
    }

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            // Stopped by cancellation, as asked.
        }
        _stop.Dispose();
    }
}
