namespace Portal.Web.Live;

/// <summary>
/// Asks the link grains whether the links that open portal pages on this node came through are still valid. A
/// revoked link is normally announced through the company feed at once; this check catches a lost notice (or a link
/// that expired) on the next refresh.
/// </summary>
public sealed class LinkRechecker(IGrainFactory grains, ILogger<LinkRechecker> logger)
{
    private const int CheckInParallel = 16;

    /// <summary>The links among <paramref name="links"/> that no longer open the portal.</summary>
    public async Task<IReadOnlyList<Guid>> FindWithdrawnAsync(IReadOnlyCollection<(Guid LinkId, string Hash)> links, CancellationToken cancellationToken)
    {
        var withdrawn = new List<Guid>();
        await Parallel.ForEachAsync(links, new ParallelOptions { MaxDegreeOfParallelism = CheckInParallel, CancellationToken = cancellationToken }, async (link, _) =>
        {
            try
            {
                await grains.GetGrain<IPortalLinkGrain>(link.Hash).Resolve();
            }
            catch (PortalRuleViolation)
            {
                lock (withdrawn)
                {
                    withdrawn.Add(link.LinkId);
                }
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "Could not re-check portal link {LinkId}", link.LinkId);
            }
        });
        return withdrawn;
    }
}
