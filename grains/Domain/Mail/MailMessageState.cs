namespace Portal.Domain;

/// <summary>
/// One message of the outbox and its delivery: Pending → Sending → Sent, or back to Pending after a transient
/// failure (with the time of the next attempt), or Failed. The state is stored before an attempt (Sending) and
/// after it, so an attempt cut short by a crash is known as such; the Message-Id never changes, so a receiving
/// server that already took the message can recognise a repeat. The body (it carries a portal link) is kept only
/// until the message is sent or has failed for good.
/// </summary>
public sealed class MailMessageState
{
    public bool Created { get; set; }
    public Guid CompanyId { get; set; }
    public Guid ProjectId { get; set; }
    public MailKind Kind { get; set; }
    public Guid? DocumentId { get; set; }
    public string ToAddress { get; set; } = "";
    public string? ToName { get; set; }
    public string SenderName { get; set; } = "";
    public string? ReplyTo { get; set; }
    public string Subject { get; set; } = "";
    public string? HtmlBody { get; set; }
    public string? TextBody { get; set; }
    /// <summary>The RFC 5322 Message-Id without angle brackets, fixed at enqueue.</summary>
    public string MessageId { get; set; } = "";
    public MailStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public string? LastError { get; set; }
    public List<MailAttempt> History { get; set; } = [];
    /// <summary>Grows with every change, so the project index can tell the latest report from an older one.</summary>
    public long Revision { get; set; }

    public bool IsFinished => Status is MailStatus.Sent or MailStatus.Failed;

    /// <summary>
    /// Takes the message into the outbox. Returns false (nothing to store) when it is already there: the first
    /// content stands. Header values with control characters are refused with <c>validation.mail_header</c>.
    /// </summary>
    public bool Enqueue(Guid id, OutgoingMail mail, string messageIdDomain, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (Created)
        {
            return false;
        }
        Validate.Id(id, RuleCodes.ValidationMail, "message id");
        Validate.Id(mail.CompanyId, RuleCodes.ValidationMail, "company");
        Validate.Id(mail.ProjectId, RuleCodes.ValidationMail, "project");
        var to = MailHeaders.Address(mail.To?.Address, "recipient address");
        var toName = mail.To?.Name is { } name ? MailHeaders.Text(name, "recipient name") : null;
        var sender = MailHeaders.Text(mail.SenderName, "sender name");
        var replyTo = mail.ReplyTo is null ? null : MailHeaders.Address(mail.ReplyTo, "reply-to address");
        var subject = MailHeaders.Text(mail.Subject, "subject", MailHeaders.MaxSubjectLength);
        if (subject.Length == 0)
        {
            throw PortalRuleViolation.Invalid(MailHeaders.InvalidCode, "A message needs a subject.");
        }
        if (string.IsNullOrWhiteSpace(mail.HtmlBody) || string.IsNullOrWhiteSpace(mail.TextBody))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationMail, "A message needs an HTML and a plain-text body.");
        }
        var domain = MailHeaders.Text(messageIdDomain, "message id domain");

        Created = true;
        CompanyId = mail.CompanyId;
        ProjectId = mail.ProjectId;
        Kind = mail.Kind;
        DocumentId = mail.DocumentId;
        ToAddress = to;
        ToName = string.IsNullOrEmpty(toName) ? null : toName;
        SenderName = sender;
        ReplyTo = replyTo;
        Subject = subject;
        HtmlBody = mail.HtmlBody;
        TextBody = mail.TextBody;
        MessageId = $"{id:N}@{(domain.Length == 0 ? "portal.localhost" : domain)}";
        Status = MailStatus.Pending;
        CreatedAt = now;
        NextAttemptAt = now;
        Revision = 1;
        return true;
    }

    /// <summary>Whether an attempt should be made now: pending and due, or an attempt that was cut short.</summary>
    public bool IsDue(DateTimeOffset now) =>
        Created && (Status == MailStatus.Sending || (Status == MailStatus.Pending && (NextAttemptAt ?? now) <= now));

    /// <summary>
    /// An attempt found still under way when the grain (re)activates was cut short by a crash or a stop. The
    /// server may or may not have taken the message; it is tried again with the same Message-Id.
    /// Returns false when there was no such attempt.
    /// </summary>
    public bool RecoverInterruptedAttempt(DateTimeOffset now)
    {
        if (Status != MailStatus.Sending)
        {
            return false;
        }
        EndLastAttempt(now, "interrupted", "The attempt did not finish (the process stopped); trying again with the same Message-Id.");
        Status = MailStatus.Pending;
        NextAttemptAt = now;
        Revision++;
        return true;
    }

    /// <summary>Marks an attempt as under way; stored before talking to the server.</summary>
    public void BeginAttempt(DateTimeOffset now)
    {
        EnsurePending();
        Attempts++;
        Status = MailStatus.Sending;
        NextAttemptAt = null;
        History.Add(new MailAttempt(Attempts, now, null, "sending", null));
        Revision++;
    }

    /// <summary>The server took the message. The body is dropped: it carried a portal link and is not needed any more.</summary>
    public void RecordAccepted(DateTimeOffset now, string? serverReply)
    {
        EnsureSending();
        EndLastAttempt(now, "accepted", Trim(serverReply));
        Status = MailStatus.Sent;
        SentAt = now;
        LastError = null;
        NextAttemptAt = null;
        DropBody();
        Revision++;
    }

    /// <summary>
    /// A failure worth retrying (no connection, a 4xx reply). Schedules the next attempt, or fails the message
    /// for good once <see cref="MailRetrySchedule.MaxAttempts"/> attempts were made.
    /// </summary>
    public void RecordTransientFailure(DateTimeOffset now, string reason, MailRetrySchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        EnsureSending();
        var detail = Trim(reason);
        if (Attempts >= schedule.MaxAttempts)
        {
            EndLastAttempt(now, "failed", detail);
            Fail(now, $"Gave up after {Attempts} attempts; last error: {detail}");
            return;
        }
        EndLastAttempt(now, "retry", detail);
        Status = MailStatus.Pending;
        LastError = detail;
        NextAttemptAt = now + schedule.DelayAfter(Attempts);
        Revision++;
    }

    /// <summary>The server refused the message for good (a 5xx reply): recorded and never retried.</summary>
    public void RecordPermanentFailure(DateTimeOffset now, string reason)
    {
        EnsureSending();
        var detail = Trim(reason);
        EndLastAttempt(now, "failed", detail);
        Fail(now, detail);
    }

    public MailMessageView ToView(Guid id)
    {
        if (!Created)
        {
            throw PortalRuleViolation.NotFound(RuleCodes.MailNotFound, "There is no such message.");
        }
        return new MailMessageView(
            id, CompanyId, ProjectId, Kind, DocumentId, ToAddress, ToName, Subject, Status, MessageId, Attempts,
            CreatedAt, NextAttemptAt, SentAt, FailedAt, LastError, [.. History], Revision);
    }

    private void Fail(DateTimeOffset now, string error)
    {
        Status = MailStatus.Failed;
        FailedAt = now;
        LastError = error;
        NextAttemptAt = null;
        DropBody();
        Revision++;
    }

    private void DropBody()
    {
        HtmlBody = null;
        TextBody = null;
    }

    private void EndLastAttempt(DateTimeOffset now, string outcome, string? detail)
    {
        if (History.Count > 0 && History[^1].EndedAt is null)
        {
            History[^1] = History[^1] with { EndedAt = now, Outcome = outcome, Detail = detail };
        }
    }

    private void EnsurePending()
    {
        if (!Created || Status != MailStatus.Pending)
        {
            throw new PortalRuleViolation(RuleCodes.MailNotPending, $"The message is {Status.ToString().ToLowerInvariant()}, so it cannot be attempted now.");
        }
    }

    private void EnsureSending()
    {
        if (!Created || Status != MailStatus.Sending)
        {
            throw new PortalRuleViolation(RuleCodes.MailNotSending, "No delivery attempt is under way.");
        }
    }

    // Server replies and exception messages can be long; the staff view needs the gist.
    private static string Trim(string? text)
    {
        var single = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return single.Length <= 500 ? single : single[..500] + "…";
    }
}
