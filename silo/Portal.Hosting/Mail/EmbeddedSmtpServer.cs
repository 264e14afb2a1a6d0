using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portal.Silo.Mail;

/// <summary>
/// Embedded mode's in-process SMTP server on loopback (<c>Portal:Smtp:Port</c> or a free port), storing what it
/// receives in the <see cref="DevMailbox"/>. The mail transport waits for <see cref="EndpointAsync"/>.
/// </summary>
public sealed class EmbeddedSmtpServer(DevMailbox mailbox, int port, ILogger<EmbeddedSmtpServer> logger) : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<IPEndPoint> _endpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackSmtpServer? _server;

    /// <summary>Where the server listens, once it does.</summary>
    public Task<IPEndPoint> EndpointAsync(CancellationToken cancellationToken) => _endpoint.Task.WaitAsync(cancellationToken);

    /// <summary>The endpoint if the server is listening now.</summary>
    public IPEndPoint? Endpoint => _endpoint.Task.IsCompletedSuccessfully ? _endpoint.Task.Result : null;

    public DevMailbox Mailbox => mailbox;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var expired = mailbox.DeleteExpired();
        if (expired > 0)
        {
            logger.LogInformation("Deleted {Count} dev mailbox files older than {Retention}", expired, DevMailbox.Retention);
        }
        try
        {
            _server = await LoopbackSmtpServer.StartAsync(mailbox, port, cancellationToken);
        }
        catch (Exception failure)
        {
            _endpoint.TrySetException(failure);
            throw new InvalidOperationException(
                $"The embedded SMTP server could not listen on 127.0.0.1:{port} ({failure.Message}); free the port, set Portal:Smtp:Port to another one, or leave it unset for a free port.",
                failure);
        }
        _endpoint.TrySetResult(_server.Endpoint);
        logger.LogInformation("Embedded SMTP server listening on {Endpoint}; messages are kept in {Directory}", _server.Endpoint, mailbox.Directory);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
