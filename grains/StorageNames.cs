namespace Portal;

/// <summary>The grain storage provider every grain persists through.</summary>
public static class StorageNames
{
    public const string Portal = "portal";
}
