using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Web.Live;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>An open <c>/hubs/staff</c> connection (a session's cookies or a key/token) that notes being told its session ended and being closed.</summary>
public sealed class StaffHubProbe : IAsyncDisposable
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StaffHubProbe(HubConnection connection)
    {
        Connection = connection;
        connection.On<AccessWithdrawnMessage>(LiveGroups.SessionEndedMethod, _ => _ended.TrySetResult());
        connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    /// <summary>Completes when the hub said the session ended.</summary>
    public Task Ended => _ended.Task;

    /// <summary>Completes when the connection closed.</summary>
    public Task Closed => _closed.Task;

    public static Task<StaffHubProbe> WithCookiesAsync(Uri baseUri, CookieContainer cookies) =>
        StartAsync(new HubConnectionBuilder().WithUrl(new Uri(baseUri, "/hubs/staff"), o =>
        {
            o.Cookies = cookies;
            o.Transports = HttpTransportType.WebSockets;
        }).Build());

    public static Task<StaffHubProbe> WithBearerAsync(Uri baseUri, string keyOrToken) =>
        StartAsync(LiveStaffFeed.Build(baseUri, keyOrToken));

    /// <summary>Waits until the hub said the session ended and closed the connection.</summary>
    public async Task EndedAndClosedAsync()
    {
        await Ended.WaitAsync(TimeSpan.FromSeconds(15));
        await Closed.WaitAsync(TimeSpan.FromSeconds(15));
    }

    private static async Task<StaffHubProbe> StartAsync(HubConnection connection)
    {
        var probe = new StaffHubProbe(connection);
        await connection.StartAsync();
        return probe;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
