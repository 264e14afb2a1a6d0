using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Portal.Web.Live;

/// <summary>
/// <c>/hubs/echo</c>: a hub that does nothing but echo, for staff-run measurements (the load generator compares a
/// portal connection's memory and round trip with this one's).
/// </summary>
[Authorize(Policy = StaffLive.Policy)]
public sealed class EchoHub : Hub
{
    public string Echo(string payload) => payload;
}
