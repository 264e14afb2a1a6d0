using Portal.Domain;

namespace Portal.Mail;

/// <summary>How message grains pace delivery; the silo fills it from <c>Portal:Smtp</c>.</summary>
public sealed class MailDeliveryOptions
{
    /// <summary>Wait after the first failed attempt; doubles after each further failure.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a transient failure is recorded as permanent.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>
    /// Period of the outbox shards' durable reminders, which bring a pending message back after a restart or deactivation; also
    /// how late an attempt may start after its due time when no grain timer is running.
    /// </summary>
    public TimeSpan PendingCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Right-hand side of generated Message-Ids (the sender address's domain).</summary>
    public string MessageIdDomain { get; set; } = "portal.localhost";

    public MailRetrySchedule Schedule => new(RetryDelay, MaxRetryDelay, MaxAttempts);
}
