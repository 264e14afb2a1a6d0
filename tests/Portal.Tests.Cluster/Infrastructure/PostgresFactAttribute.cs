namespace Portal.Tests.Cluster.Infrastructure;

/// <summary>
/// A fact that needs the PostgreSQL server named by <c>PORTAL_TEST_PG</c>. It is skipped only when
/// <c>PORTAL_SKIP_POSTGRES=1</c> says so explicitly; a missing server otherwise fails the test with the reason.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (ClusterDatabase.SkipRequested)
        {
            Skip = $"{ClusterDatabase.SkipVariable}=1: the multi-process cluster tests need PostgreSQL.";
        }
    }
}
