namespace Portal.Domain;

/// <summary>A grain state that keeps the notifications it owes other grains until they are made.</summary>
public interface IOwesNotices
{
    Notices PendingNotices { get; set; }
}
