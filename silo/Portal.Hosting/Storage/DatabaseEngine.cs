namespace Portal.Silo.Storage;

/// <summary>The database engines the portal's schema and queries are written for.</summary>
public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}
