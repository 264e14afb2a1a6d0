using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Web.Live;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>A portal page's SignalR connection as live.js makes it: the page's session cookie, WebSockets only.</summary>
public sealed class LivePortalPage : IAsyncDisposable
{
    private readonly Channel<ProjectChangedMessage> _events = Channel.CreateUnbounded<ProjectChangedMessage>();
    private readonly TaskCompletionSource<AccessWithdrawnMessage> _withdrawn = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LivePortalPage(HubConnection connection)
    {
        Connection = connection;
        connection.On<ProjectChangedMessage>(LiveGroups.ProjectChangedMethod, e => _events.Writer.TryWrite(e));
        connection.On<AccessWithdrawnMessage>(LiveGroups.AccessWithdrawnMethod, m => _withdrawn.TrySetResult(m));
    }

    public HubConnection Connection { get; }

    public Task<AccessWithdrawnMessage> Withdrawn => _withdrawn.Task;

    public static HubConnection Build(Uri baseUri, CookieContainer? cookies) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "/hubs/portal"), options =>
            {
                if (cookies is not null)
                {
                    options.Cookies = cookies;
                }
                options.Transports = HttpTransportType.WebSockets;
            })
            .Build();

    public static async Task<LivePortalPage> OpenAsync(Uri baseUri, CookieContainer cookies)
    {
        var page = new LivePortalPage(Build(baseUri, cookies));
        await page.Connection.StartAsync();
        return page;
    }

    public Task<long> WatchAsync(Guid projectId, long lastSeenVersion = 0, bool presence = true) =>
        Connection.InvokeAsync<long>("Watch", projectId, lastSeenVersion, presence);

    public async Task<ProjectChangedMessage> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _events.Reader.ReadAsync(cancel.Token);
    }

    /// <summary>Events until one reaches <paramref name="version"/>.</summary>
    public async Task<List<ProjectChangedMessage>> UntilVersionAsync(long version, TimeSpan? timeout = null)
    {
        var seen = new List<ProjectChangedMessage>();
        while (seen.Count == 0 || seen[^1].Version < version)
        {
            seen.Add(await NextAsync(timeout));
        }
        return seen;
    }

    public bool TryTakeEvent(out ProjectChangedMessage? message) => _events.Reader.TryRead(out message);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

/// <summary>A staff feed connection authenticated with the API key as a bearer token.</summary>
public sealed class LiveStaffFeed : IAsyncDisposable
{
    private readonly Channel<FeedItemMessage> _items = Channel.CreateUnbounded<FeedItemMessage>();
    private readonly Channel<PresenceMessage> _presence = Channel.CreateUnbounded<PresenceMessage>();

    private LiveStaffFeed(HubConnection connection)
    {
        Connection = connection;
        connection.On<FeedItemMessage>(LiveGroups.FeedItemMethod, i => _items.Writer.TryWrite(i));
        connection.On<PresenceMessage>(LiveGroups.PresenceMethod, p => _presence.Writer.TryWrite(p));
    }

    public HubConnection Connection { get; }

    public static HubConnection Build(Uri baseUri, string? apiKey, string path = "/hubs/staff", bool queryToken = false) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, path + (queryToken && apiKey is not null ? "?access_token=" + Uri.EscapeDataString(apiKey) : "")), options =>
            {
                if (apiKey is not null && !queryToken)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(apiKey);
                }
                options.Transports = HttpTransportType.WebSockets;
            })
            .Build();

    public static async Task<LiveStaffFeed> OpenAsync(Uri baseUri, string apiKey)
    {
        var feed = new LiveStaffFeed(Build(baseUri, apiKey));
        await feed.Connection.StartAsync();
        return feed;
    }

    public async Task<FeedItemMessage> NextItemAsync(Func<FeedItemMessage, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var item = await _items.Reader.ReadAsync(cancel.Token);
            if (match(item))
            {
                return item;
            }
        }
    }

    public async Task<PresenceMessage> NextPresenceAsync(Func<PresenceMessage, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var change = await _presence.Reader.ReadAsync(cancel.Token);
            if (match(change))
            {
                return change;
            }
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

public static class LiveScenario
{
    /// <summary>A client with a project, an open invoice and a portal session (the cookie of its link).</summary>
    public static async Task<(Guid ClientId, Guid ProjectId, int Number, Guid InvoiceId, string InvoiceNumber, PortalBrowser Browser)> ClientWithInvoiceAsync(
        PortalTestHost host, string name = "Jane Smith")
    {
        var clientId = await host.Api.CreateClientAsync(name);
        var (projectId, number) = await host.Api.CreateProjectAsync(clientId);
        var (invoiceId, invoiceNumber) = await host.Api.CreateInvoiceAsync(projectId, 100_000m);
        var url = (await host.Api.SendAsync("invoices", invoiceId)).Str("portalUrl");
        var browser = new PortalBrowser(host);
        await browser.EnterAsync(url);
        return (clientId, projectId, number, invoiceId, invoiceNumber, browser);
    }

    public static async Task<long> ProjectVersionAsync(this HttpClient api, Guid projectId) =>
        (await api.GetOkAsync($"/api/projects/{projectId}"))["version"]!.GetValue<long>();

    public static Task PayAsync(this HttpClient api, Guid invoiceId, decimal amount = 10m) =>
        api.PostOkAsync($"/api/invoices/{invoiceId}/payments", new { amount, method = "bank_transfer", reference = "live test" });

    /// <summary>The shared <see cref="Support.Eventually"/> under the name the live tests use.</summary>
    public static Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Support.Eventually.UntilAsync(condition, what, timeout);
}
