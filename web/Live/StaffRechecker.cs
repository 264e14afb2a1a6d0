using System.Security.Claims;
using Portal.Web.Auth;

namespace Portal.Web.Live;

/// <summary>
/// Re-checks the people and API keys behind open staff hub connections on this node: a session whose account's
/// security stamp or role changed, or a key that was removed (or whose role changed), no longer holds. Such changes are
/// normally announced through the company feed at once; this check catches a lost notice on the next refresh.
/// </summary>
public sealed class StaffRechecker(IGrainFactory grains, ILogger<StaffRechecker> logger)
{
    private const int CheckInParallel = 16;

    /// <summary>The ids of the connections among <paramref name="connections"/> whose session or key no longer holds.</summary>
    public async Task<IReadOnlyList<string>> FindEndedAsync(IReadOnlyCollection<LiveConnection> connections, CancellationToken cancellationToken)
    {
        var users = new Dictionary<Guid, StaffUserView?>();
        var keys = new Dictionary<string, StaffPrincipal?>(StringComparer.OrdinalIgnoreCase);
        var options = new ParallelOptions { MaxDegreeOfParallelism = CheckInParallel, CancellationToken = cancellationToken };
        // One read per person and per key, however many connections they hold; a read that fails keeps them open.
        await Parallel.ForEachAsync(connections.Select(c => c.UserId).OfType<Guid>().Distinct(), options, async (userId, _) =>
        {
            try
            {
                var user = await grains.GetGrain<IStaffUserGrain>(userId).Find();
                lock (users)
                {
                    users[userId] = user;
                }
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "Could not re-check the sessions of staff user {UserId}", userId);
            }
        });
        var directory = grains.GetGrain<IStaffDirectoryGrain>(Guid.Empty);
        await Parallel.ForEachAsync(connections.Where(c => c.UserId is null).Select(c => c.KeyHash).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase), options, async (hash, _) =>
        {
            try
            {
                var key = await directory.AuthenticateApiKey(hash);
                lock (keys)
                {
                    keys[hash] = key;
                }
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "Could not re-check an API key of open staff connections");
            }
        });

        var ended = new List<string>();
        foreach (var connection in connections)
        {
            var principal = connection.Context.User;
            var role = principal?.FindFirstValue(StaffClaims.CompanyRole);
            var holds = connection switch
            {
                { UserId: { } userId } => !users.TryGetValue(userId, out var user)
                    || (user is not null
                        && user.SecurityStamp.ToString() == principal?.FindFirstValue(StaffSessions.StampClaim)
                        && user.RoleIn(connection.CompanyId) is { } current && StaffPermissions.Wire(current) == role),
                { KeyHash: { } hash } => !keys.TryGetValue(hash, out var key)
                    || (key is not null && key.CompanyId == connection.CompanyId && StaffPermissions.Wire(key.Role) == role),
                _ => true,
            };
            if (!holds)
            {
                ended.Add(connection.ConnectionId);
            }
        }
        return ended;
    }
}
