namespace Portal.Domain;

/// <summary>
/// How long to wait after the n-th failed attempt: <see cref="FirstDelay"/>, doubling each time up to
/// <see cref="MaxDelay"/>; after <see cref="MaxAttempts"/> attempts a transient failure becomes permanent.
/// </summary>
public sealed record MailRetrySchedule(TimeSpan FirstDelay, TimeSpan MaxDelay, int MaxAttempts)
{
    public static MailRetrySchedule Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), 12);

    /// <summary>The wait after <paramref name="failedAttempts"/> attempts (1 = the first one failed).</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var delay = FirstDelay;
        for (var i = 1; i < failedAttempts && delay < MaxDelay; i++)
        {
            delay += delay;
        }
        return delay < MaxDelay ? delay : MaxDelay;
    }
}
