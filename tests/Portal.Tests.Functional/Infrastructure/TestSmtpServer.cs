using System.Buffers;
using System.Collections.Concurrent;
using MimeKit;
using Portal.Silo.Mail;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>A message the test server accepted: as parsed, and the envelope recipients.</summary>
public sealed record ReceivedMail(MimeMessage Message, IReadOnlyList<string> Recipients)
{
    public string Html => Message.HtmlBody ?? "";
    public string Text => Message.TextBody ?? "";
    public string Subject => Message.Subject ?? "";
}

/// <summary>
/// A real SMTP server (the SmtpServer package) on loopback inside the test process. Replies can be scripted per
/// recipient (e.g. 451 once, or 550), everything it accepted is kept, and every DATA it saw is counted.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly ScriptedStore _store;
    private LoopbackSmtpServer? _server;

    private TestSmtpServer(ScriptedStore store, LoopbackSmtpServer server)
    {
        _store = store;
        _server = server;
        Port = server.Port;
    }

    public int Port { get; }

    public IReadOnlyCollection<ReceivedMail> Received => _store.Received;

    public static async Task<TestSmtpServer> StartAsync(int port = 0)
    {
        var store = new ScriptedStore();
        return new TestSmtpServer(store, await LoopbackSmtpServer.StartAsync(store, port));
    }

    /// <summary>Starts a fresh server on the same port with the same store (after <see cref="StopAsync"/>).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _server = await LoopbackSmtpServer.StartAsync(_store, Port);
    }

    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    /// <summary>The next messages to this recipient get these replies, one each, before normal acceptance resumes.</summary>
    public void Script(string recipient, params SmtpResponse[] replies) => _store.Script(recipient, replies);

    /// <summary>How many messages were offered (DATA) to this recipient, accepted or not.</summary>
    public int OfferedTo(string recipient) => _store.Offered.Count(r => string.Equals(r, recipient, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<ReceivedMail> ReceivedFor(string recipient) =>
        [.. _store.Received.Where(m => m.Recipients.Contains(recipient, StringComparer.OrdinalIgnoreCase))];

    public async Task<ReceivedMail> WaitForAsync(string recipient, TimeSpan? timeout = null, Func<ReceivedMail, bool>? match = null)
    {
        var found = await Eventually.ValueAsync(
            () => Task.FromResult(ReceivedFor(recipient).FirstOrDefault(m => match?.Invoke(m) ?? true)),
            m => m is not null,
            $"a message for {recipient}",
            timeout,
            _ => $"{Received.Count} messages received in all");
        return found!;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    public static SmtpResponse TryLater { get; } = new((SmtpReplyCode)451, "4.7.1 Try again later");

    public static SmtpResponse NoSuchUser { get; } = new((SmtpReplyCode)550, "5.1.1 No such user here");

    private sealed class ScriptedStore : MessageStore
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<SmtpResponse>> _scripts = new(StringComparer.OrdinalIgnoreCase);

        public ConcurrentQueue<ReceivedMail> Received { get; } = new();

        public ConcurrentQueue<string> Offered { get; } = new();

        public void Script(string recipient, SmtpResponse[] replies) => _scripts[recipient] = new ConcurrentQueue<SmtpResponse>(replies);

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var recipients = transaction.To.Select(m => $"{m.User}@{m.Host}").ToList();
            foreach (var recipient in recipients)
            {
                Offered.Enqueue(recipient);
            }
            foreach (var recipient in recipients)
            {
                if (_scripts.TryGetValue(recipient, out var script) && script.TryDequeue(out var reply))
                {
                    return Task.FromResult(reply);
                }
            }
            using var stream = new MemoryStream(buffer.ToArray());
            Received.Enqueue(new ReceivedMail(MimeMessage.Load(stream, cancellationToken), recipients));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
