using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using Portal.Domain;

namespace Portal.Grains;

/// <summary>
/// One company's live feed. Nothing here is stored: projects keep the durable activity log and report to the
/// feed after their own writes; the feed relays to the subscribed web nodes and remembers the latest items so a
/// feed page that opens has something to show.
/// </summary>
public sealed class CompanyFeedGrain(ILogger<CompanyFeedGrain> logger) : Grain, ICompanyFeedGrain
{
    public const int RecentItems = 50;

    private readonly ObserverManager<ICompanyFeedObserver> _observers = new(LiveSubscriptions.ObserverExpiry, logger);
    private readonly PresenceBoard _presence = new(LiveSubscriptions.PresenceExpiry);
    private readonly LinkedList<FeedItem> _recent = new();
    private readonly Dictionary<Guid, string> _clientNames = [];

    private DateTimeOffset Now => (ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Timers end with the activation; this one only forgets nodes that stopped reporting.
        this.RegisterGrainTimer(ExpirePresence, new GrainTimerCreationOptions(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<FeedSnapshot> Subscribe(ICompanyFeedObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Subscribe(observer, observer);
        return GetSnapshot();
    }

    public Task Unsubscribe(ICompanyFeedObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task<FeedSnapshot> GetSnapshot() => Task.FromResult(new FeedSnapshot([.. _recent], _presence.Current));

    public async Task Publish(Guid projectId, int projectNumber, Guid clientId, IReadOnlyList<ActivityEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries.Where(e => StaffFeedTypes.IsReported(e.Type)))
        {
            var item = new FeedItem(projectId, projectNumber, clientId, await ClientNameAsync(clientId, entry.By), entry);
            _recent.AddFirst(item);
            if (_recent.Count > RecentItems)
            {
                _recent.RemoveLast();
            }
            await _observers.Notify(observer => observer.OnFeedItem(item));
        }
    }

    public Task UpdatePresence(string nodeId, PresenceEntry entry, bool viewing) =>
        _presence.Update(nodeId, entry, viewing, Now) is { } change ? Relay([change]) : Task.CompletedTask;

    public Task ReportPresence(NodePresence presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        return Relay(_presence.Replace(presence, Now));
    }

    public Task LinkRevoked(Guid linkId) => _observers.Notify(observer => observer.OnLinkRevoked(linkId));

    public Task StaffSessionsEnded(Guid userId) => _observers.Notify(observer => observer.OnStaffSessionsEnded(userId));

    public Task ApiKeyRemoved(string keyHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyHash);
        return _observers.Notify(observer => observer.OnApiKeyRemoved(keyHash));
    }

    private Task ExpirePresence() => Relay(_presence.Expire(Now));

    // The observer methods are one-way: these complete as soon as the messages are handed over.
    private async Task Relay(IReadOnlyList<PresenceChanged> changes)
    {
        foreach (var change in changes)
        {
            await _observers.Notify(observer => observer.OnPresenceChanged(change));
        }
    }

    // The client's own actions name them; staff recording a payment does not, so the name comes from the client.
    private async Task<string> ClientNameAsync(Guid clientId, Actor by)
    {
        if (by.Kind == ActorKind.Client && by.ClientId == clientId && !string.IsNullOrEmpty(by.Name))
        {
            _clientNames[clientId] = by.Name;
            return by.Name;
        }
        if (_clientNames.TryGetValue(clientId, out var known))
        {
            return known;
        }
        try
        {
            var name = (await GrainFactory.GetGrain<IClientGrain>(clientId).Get()).Name;
            _clientNames[clientId] = name;
            return name;
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "The feed of {Company} could not look up client {ClientId}", this.GetPrimaryKey(), clientId);
            return "A client";
        }
    }
}
