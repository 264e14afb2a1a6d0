using Microsoft.Extensions.Hosting;
using Portal.Silo.Configuration;

namespace Portal.Silo.Hosting;

public static partial class PortalHosting
{
    private static void AddPortalClusterClient(this IHostApplicationBuilder builder, PortalOptions options)
    {
        _ = builder;
        _ = options;
        throw new NotSupportedException("Portal:Orleans:Mode 'client' arrives with cluster mode (PostgreSQL).");
    }
}
