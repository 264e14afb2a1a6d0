using Portal.Domain;

namespace Portal.Tests.Domain.Mail;

public class MailMessageStateTests
{
    private static readonly Guid Id = Guid.Parse("66666666-6666-6666-6666-666666666666");
    private static readonly MailRetrySchedule Schedule = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(4), 4);

    private static OutgoingMail Mail(string subject = "Quote Q-0007 from Brightwater", string senderName = "Brightwater", string toName = "Jane Smith", string to = "jane@example.com") =>
        new(MailSamples.CompanyId, MailSamples.ProjectId, MailKind.Quote, new MailRecipient(to, toName), senderName, "hello@brightwater.example", subject, "<p>Hi</p>", "Hi", MailSamples.ProposalId);

    private static MailMessageState Pending()
    {
        var state = new MailMessageState();
        Assert.True(state.Enqueue(Id, Mail(), "portal.example.com", Sample.Now));
        return state;
    }

    [Fact]
    public void An_enqueued_message_is_pending_due_now_with_a_message_id_fixed_for_good()
    {
        var state = Pending();

        Assert.Equal(MailStatus.Pending, state.Status);
        Assert.True(state.IsDue(Sample.Now));
        Assert.Equal($"{Id:N}@portal.example.com", state.MessageId);
        Assert.Equal(1, state.Revision);

        // Enqueueing again (a retried request) keeps the first content.
        Assert.False(state.Enqueue(Id, Mail(subject: "Something else"), "other.example.com", Sample.Now.AddMinutes(1)));
        Assert.Equal("Quote Q-0007 from Brightwater", state.Subject);
        Assert.Equal($"{Id:N}@portal.example.com", state.MessageId);
    }

    [Theory]
    [InlineData("Quote\r\nBcc: x@example.com", "Brightwater", "Jane Smith", "jane@example.com")]
    [InlineData("Quote", "Bright\nwater", "Jane Smith", "jane@example.com")]
    [InlineData("Quote", "Brightwater", "Jane\rSmith", "jane@example.com")]
    [InlineData("Quote", "Brightwater", "Jane Smith", "jane@example.com\r\nBcc: x@example.com")]
    [InlineData("Quote", "Brightwater", "Jane Smith", "Jane <jane@example.com>")]
    public void Header_values_with_line_breaks_or_display_forms_are_refused_and_nothing_is_stored(string subject, string sender, string toName, string to)
    {
        var state = new MailMessageState();
        Refuse.Unchanged(state, MailHeaders.InvalidCode, RuleKind.Invalid, () => state.Enqueue(Id, Mail(subject, sender, toName, to), "portal.example.com", Sample.Now));
        Assert.False(state.Created);
    }

    [Fact]
    public void An_accepted_attempt_is_sent_once_and_forgets_the_body_with_its_link()
    {
        var state = Pending();
        state.BeginAttempt(Sample.Now);
        Assert.Equal(MailStatus.Sending, state.Status);
        Assert.False(state.IsFinished);

        state.RecordAccepted(Sample.Now.AddSeconds(1), "250 OK queued as 42");

        Assert.Equal(MailStatus.Sent, state.Status);
        Assert.Equal(1, state.Attempts);
        Assert.Null(state.HtmlBody);
        Assert.Null(state.TextBody);
        Assert.False(state.IsDue(Sample.Now.AddDays(1)));
        var attempt = Assert.Single(state.History);
        Assert.Equal("accepted", attempt.Outcome);
        Assert.Equal("250 OK queued as 42", attempt.Detail);
        Refuse.With("mail.not_pending", RuleKind.Conflict, () => state.BeginAttempt(Sample.Now));
    }

    [Fact]
    public void Transient_failures_are_retried_with_doubling_waits_then_given_up_after_the_last_attempt()
    {
        var state = Pending();
        var now = Sample.Now;
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            state.BeginAttempt(now);
            state.RecordTransientFailure(now, "451 4.3.0 Try again later", Schedule);
            Assert.Equal(MailStatus.Pending, state.Status);
            Assert.Equal("451 4.3.0 Try again later", state.LastError);
            waits.Add(state.NextAttemptAt!.Value - now);
            Assert.False(state.IsDue(now));
            now = state.NextAttemptAt!.Value;
            Assert.True(state.IsDue(now));
        }
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120)], waits);

        state.BeginAttempt(now);
        state.RecordTransientFailure(now, "Connection refused", Schedule);

        Assert.Equal(MailStatus.Failed, state.Status);
        Assert.Equal(4, state.Attempts);
        Assert.Equal("Gave up after 4 attempts; last error: Connection refused", state.LastError);
        Assert.Equal(["retry", "retry", "retry", "failed"], state.History.Select(a => a.Outcome));
        Assert.Null(state.TextBody);
    }

    [Fact]
    public void A_permanent_refusal_is_recorded_once_and_never_retried()
    {
        var state = Pending();
        state.BeginAttempt(Sample.Now);
        state.RecordPermanentFailure(Sample.Now, "550 5.1.1 No such user\r\n here");

        Assert.Equal(MailStatus.Failed, state.Status);
        Assert.Equal("550 5.1.1 No such user here", state.LastError);
        Assert.Equal(Sample.Now, state.FailedAt);
        Assert.False(state.IsDue(Sample.Now.AddDays(1)));
        Assert.Equal("failed", Assert.Single(state.History).Outcome);
    }

    [Fact]
    public void An_attempt_cut_short_is_recovered_as_pending_and_tried_again_with_the_same_message_id()
    {
        var state = Pending();
        var messageId = state.MessageId;
        state.BeginAttempt(Sample.Now);

        Assert.True(state.IsDue(Sample.Now), "an attempt left Sending is due");
        Assert.True(state.RecoverInterruptedAttempt(Sample.Now.AddMinutes(1)));
        Assert.False(state.RecoverInterruptedAttempt(Sample.Now.AddMinutes(1)));

        Assert.Equal(MailStatus.Pending, state.Status);
        Assert.Equal("interrupted", state.History[^1].Outcome);
        state.BeginAttempt(Sample.Now.AddMinutes(1));
        state.RecordAccepted(Sample.Now.AddMinutes(1), "250 OK");
        Assert.Equal(2, state.Attempts);
        Assert.Equal(messageId, state.MessageId);
    }

    [Fact]
    public void Every_change_raises_the_revision_so_the_index_keeps_the_latest()
    {
        var state = Pending();
        var revisions = new List<long> { state.Revision };
        state.BeginAttempt(Sample.Now);
        revisions.Add(state.Revision);
        state.RecordTransientFailure(Sample.Now, "451", Schedule);
        revisions.Add(state.Revision);
        state.BeginAttempt(Sample.Now);
        revisions.Add(state.Revision);
        state.RecordAccepted(Sample.Now, "250");
        revisions.Add(state.Revision);

        Assert.Equal([1L, 2L, 3L, 4L, 5L], revisions);

        // The index stores a message once; the newer of two reports is the one with the higher revision.
        var index = new ProjectMailState();
        var latest = state.ToView(Id);
        var older = latest with { Revision = 3, Status = MailStatus.Pending };
        Assert.True(index.Add(older));
        Assert.False(index.Add(latest));
        Assert.Same(latest, ProjectMailState.Newer(older, latest));
        Assert.Same(latest, ProjectMailState.Newer(latest, older));
    }

    [Fact]
    public void The_view_never_carries_the_body()
    {
        var view = Pending().ToView(Id);
        Assert.DoesNotContain(typeof(MailMessageView).GetProperties(), p => p.Name.Contains("Body", StringComparison.Ordinal));
        Assert.Equal("jane@example.com", view.To);
        Refuse.With("mail.not_found", RuleKind.NotFound, () => new MailMessageState().ToView(Id));
    }

    [Fact]
    public void The_retry_schedule_doubles_up_to_its_ceiling()
    {
        var schedule = new MailRetrySchedule(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), 12);
        Assert.Equal(TimeSpan.FromSeconds(30), schedule.DelayAfter(1));
        Assert.Equal(TimeSpan.FromMinutes(1), schedule.DelayAfter(2));
        Assert.Equal(TimeSpan.FromMinutes(32), schedule.DelayAfter(7));
        Assert.Equal(TimeSpan.FromHours(1), schedule.DelayAfter(8));
        Assert.Equal(TimeSpan.FromHours(1), schedule.DelayAfter(100));
    }

    [Fact]
    public void Message_states_round_trip_through_the_storage_json()
    {
        var state = Pending();
        state.BeginAttempt(Sample.Now);
        state.RecordTransientFailure(Sample.Now, "451", Schedule);
        var json = System.Text.Json.JsonSerializer.Serialize(state, StateJson.Options);
        var copy = System.Text.Json.JsonSerializer.Deserialize<MailMessageState>(json, StateJson.Options)!;
        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(copy, StateJson.Options));

        var index = new ProjectMailState();
        index.Add(state.ToView(Id));
        var indexJson = System.Text.Json.JsonSerializer.Serialize(index, StateJson.Options);
        var indexCopy = System.Text.Json.JsonSerializer.Deserialize<ProjectMailState>(indexJson, StateJson.Options)!;
        Assert.Equal(indexJson, System.Text.Json.JsonSerializer.Serialize(indexCopy, StateJson.Options));
    }
}
