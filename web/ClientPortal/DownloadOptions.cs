namespace Portal.Web.ClientPortal;

/// <summary>The <c>Portal:Downloads</c> section: how shared files are served to clients.</summary>
public sealed class DownloadOptions
{
    public const string Section = "Portal:Downloads";

    /// <summary>
    /// How many files one client may be downloading at once from one web node; one more is answered 429 with
    /// Retry-After until a download finishes. Each download holds a database connection while it streams, so this
    /// keeps one client (or one leaked link) from holding them all. Default: 4.
    /// </summary>
    public int MaxConcurrentPerClient { get; set; } = 4;

    /// <summary>The Retry-After a refused download is given, in seconds.</summary>
    public const int RetryAfterSeconds = 5;
}
