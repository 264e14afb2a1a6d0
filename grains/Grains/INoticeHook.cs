namespace Portal.Grains;

/// <summary>
/// Called before a grain tells another grain about a change it has stored (<see cref="PortalGrain{TState}.NotifyAsync"/>).
/// Production registers none. Tests register one to make a notification fail, and so prove that a stored change
/// whose notification was lost (a silo stopped between the two) is still told later.
/// </summary>
public interface INoticeHook
{
    /// <summary>Runs before <paramref name="grain"/> makes the notification <paramref name="what"/>; a throw fails it.</summary>
    Task BeforeNotifyingAsync(GrainId grain, string what);
}
