using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Portal.Mail;

namespace Portal.Tests.Grains.Mail;

/// <summary>
/// A silo of its own for the outbox: a scripted transport instead of SMTP, and retry waits of a fraction of a
/// second so backoff can be watched in a test.
/// </summary>
public sealed class MailClusterFixture : IAsyncLifetime
{
    public ScriptedTransport Transport { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var transport = Transport;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Portal, options => options.GrainStorageSerializer = new StateJsonGrainStorageSerializer());
            silo.UseInMemoryReminderService();
            silo.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Services.AddSingleton<IMailTransport>(transport);
            silo.Services.Configure<MailDeliveryOptions>(delivery =>
            {
                delivery.RetryDelay = TimeSpan.FromMilliseconds(100);
                delivery.MaxRetryDelay = TimeSpan.FromMilliseconds(400);
                delivery.MaxAttempts = 4;
                delivery.PendingCheckInterval = TimeSpan.FromSeconds(2);
                delivery.MessageIdDomain = "test.example.com";
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class MailClusterCollection : ICollectionFixture<MailClusterFixture>
{
    public const string Name = "Mail cluster";
}

/// <summary>
/// A transport that answers from a script per recipient (default: accept) and remembers every attempt, so a test
/// can prove how often a message reached "the server".
/// </summary>
public sealed class ScriptedTransport : IMailTransport
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<MailDeliveryResult>> _scripts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<MailEnvelope> _attempts = new();
    private readonly ConcurrentQueue<MailEnvelope> _accepted = new();

    public void Script(string recipient, params MailDeliveryResult[] results) =>
        _scripts[recipient] = new ConcurrentQueue<MailDeliveryResult>(results);

    public IReadOnlyList<MailEnvelope> AttemptsTo(string recipient) => [.. _attempts.Where(m => m.To.Address == recipient)];

    public IReadOnlyList<MailEnvelope> AcceptedFor(string recipient) => [.. _accepted.Where(m => m.To.Address == recipient)];

    public Task<MailDeliveryResult> SendAsync(MailEnvelope message, CancellationToken cancellationToken)
    {
        _attempts.Enqueue(message);
        var result = _scripts.TryGetValue(message.To.Address, out var script) && script.TryDequeue(out var scripted)
            ? scripted
            : MailDeliveryResult.Accepted("250 OK");
        if (result.Outcome == MailDeliveryOutcome.Accepted)
        {
            _accepted.Enqueue(message);
        }
        return Task.FromResult(result);
    }
}
