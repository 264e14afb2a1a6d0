namespace Portal.Grains;

/// <summary>
/// The durable retry of notifications between grains (<see cref="PortalGrain{TState}.ArmRetryAsync"/>): a grain that
/// stores a change whose notification is still to be made holds an Orleans reminder (a row of the reminders table)
/// until it is made, so a silo killed between the write and the notification delays it by at most one period.
/// </summary>
public sealed class NoticeRetryOptions
{
    /// <summary>The reminder's first tick and period. Default: one minute, Orleans' shortest reminder period.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>After a failed notification, the in-memory retry's first wait. Default: two seconds.</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The in-memory retry's period after that. Default: fifteen seconds.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(15);
}
