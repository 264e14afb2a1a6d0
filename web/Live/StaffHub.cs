using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Portal.Web.Auth;

namespace Portal.Web.Live;

/// <summary><c>/hubs/staff</c>: the staff feed and presence of the signed-in staff member's company.</summary>
[Authorize(Policy = StaffLive.Policy)]
public sealed class StaffHub(LiveRegistry registry, IGrainFactory grains) : Hub
{
    public override async Task OnConnectedAsync()
    {
        var companyId = Context.User!.GetCompanyId();
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Staff(companyId));
        await registry.ConnectAsync(new LiveConnection(Context, LiveConnectionKind.Staff, companyId,
            userId: Context.User!.GetUserId(), keyHash: Context.User!.FindFirstValue(StaffClaims.KeyHash)));
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await registry.DisconnectAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>The latest items and who is viewing what now; a page calls it after (re)connecting.</summary>
    public async Task<FeedSnapshotMessage> Snapshot()
    {
        var companyId = Context.User!.GetCompanyId();
        var company = await grains.GetGrain<ICompanyGrain>(companyId).Get();
        var snapshot = await grains.GetGrain<ICompanyFeedGrain>(companyId).GetSnapshot();
        return LiveMessages.From(snapshot, company.TimeZone);
    }
}
