using Portal.Domain;
using Portal.Grains;
using Portal.Mail;

namespace Portal.Tests.Grains.Mail;

[Collection(MailClusterCollection.Name)]
public class OutboxGrainTests(MailClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private static OutgoingMail Mail(string to, Guid projectId) =>
        new(Guid.NewGuid(), projectId, MailKind.Quote, new MailRecipient(to, "Jane Smith"), "Brightwater", null, "Quote Q-0001", "<p>Hello</p>", "Hello", Guid.NewGuid());

    private static string NewAddress() => $"jane.{Guid.NewGuid():N}@example.com";

    private static Task<MailMessageView> WaitForAsync(IMailMessageGrain message, Func<MailMessageView, bool> done, string description) =>
        Eventually.ValueAsync(message.Get, done, description, show: v => $"{v.Status} after {v.Attempts} attempts");

    /// <summary>
    /// Waits until the message's shard forgets it: the attempt that finished it is over and nothing will resume
    /// it, so an outcome counted after this is final.
    /// </summary>
    private Task UntilLeftTheOutboxAsync(Guid id) =>
        Eventually.UntilAsync(async () => !(await ShardOf(id).Pending()).Contains(id), $"message {id} to leave its outbox shard");

    [Fact]
    public async Task An_enqueued_message_is_stored_when_acknowledged_and_delivered_once()
    {
        var to = NewAddress();
        var projectId = Guid.NewGuid();
        var message = Grains.GetGrain<IMailMessageGrain>(Guid.NewGuid());

        var queued = await message.Enqueue(Mail(to, projectId));
        Assert.Equal(MailStatus.Pending, queued.Status);

        var sent = await WaitForAsync(message, v => v.Status == MailStatus.Sent, "the message to be sent");
        Assert.Equal(MailStatus.Sent, sent.Status);
        Assert.Equal(1, sent.Attempts);
        var delivered = Assert.Single(fixture.Transport.AcceptedFor(to));
        Assert.Equal(queued.MessageId, delivered.MessageId);
        Assert.EndsWith("@test.example.com", delivered.MessageId);

        // Enqueueing the same id again (a retried call) answers the finished message and starts nothing: it does
        // not come back to the outbox, whose reminder is what would send it again.
        await UntilLeftTheOutboxAsync(message.GetPrimaryKey());
        var again = await message.Enqueue(Mail(to, projectId));
        Assert.Equal((MailStatus.Sent, 1, queued.MessageId), (again.Status, again.Attempts, again.MessageId));
        Assert.DoesNotContain(message.GetPrimaryKey(), await ShardOf(message.GetPrimaryKey()).Pending());
        Assert.False(await message.Resume());
        Assert.Single(fixture.Transport.AttemptsTo(to));

        var listed = Assert.Single(await Grains.GetGrain<IProjectMailGrain>(projectId).List());
        Assert.Equal(MailStatus.Sent, listed.Status);
    }

    [Fact]
    public async Task A_451_is_retried_after_a_backoff_and_the_message_is_delivered_exactly_once()
    {
        var to = NewAddress();
        fixture.Transport.Script(to, MailDeliveryResult.Transient("451 4.7.1 Try again later"));
        var message = Grains.GetGrain<IMailMessageGrain>(Guid.NewGuid());

        await message.Enqueue(Mail(to, Guid.NewGuid()));
        var sent = await WaitForAsync(message, v => v.Status == MailStatus.Sent, "the message to be sent");

        Assert.Equal(MailStatus.Sent, sent.Status);
        Assert.Equal(2, sent.Attempts);
        Assert.Equal(["retry", "accepted"], sent.History.Select(a => a.Outcome));
        Assert.True(sent.History[1].StartedAt - sent.History[0].EndedAt!.Value >= TimeSpan.FromMilliseconds(90), "waited for the backoff");
        Assert.Equal(2, fixture.Transport.AttemptsTo(to).Count);
        Assert.Single(fixture.Transport.AcceptedFor(to));
        Assert.Single(fixture.Transport.AttemptsTo(to).Select(m => m.MessageId).Distinct());
    }

    [Fact]
    public async Task A_550_is_recorded_as_failed_without_another_attempt()
    {
        var to = NewAddress();
        var projectId = Guid.NewGuid();
        fixture.Transport.Script(to, MailDeliveryResult.Permanent("550 5.1.1 Mailbox unavailable"));
        var message = Grains.GetGrain<IMailMessageGrain>(Guid.NewGuid());

        await message.Enqueue(Mail(to, projectId));
        var failed = await WaitForAsync(message, v => v.Status == MailStatus.Failed, "the message to fail");
        await UntilLeftTheOutboxAsync(message.GetPrimaryKey());

        Assert.Equal(MailStatus.Failed, failed.Status);
        Assert.Equal(1, (await message.Get()).Attempts);
        Assert.False(await message.Resume());
        Assert.Contains("550", failed.LastError);
        Assert.Single(fixture.Transport.AttemptsTo(to));
        var listed = Assert.Single(await Grains.GetGrain<IProjectMailGrain>(projectId).List());
        Assert.Equal(MailStatus.Failed, listed.Status);
    }

    [Fact]
    public async Task Transient_failures_until_the_last_attempt_end_as_failed()
    {
        var to = NewAddress();
        fixture.Transport.Script(to, [.. Enumerable.Repeat(MailDeliveryResult.Transient("Connection refused"), 10)]);
        var message = Grains.GetGrain<IMailMessageGrain>(Guid.NewGuid());

        await message.Enqueue(Mail(to, Guid.NewGuid()));
        var failed = await WaitForAsync(message, v => v.Status == MailStatus.Failed, "the message to fail");

        Assert.Equal(4, failed.Attempts);
        Assert.StartsWith("Gave up after 4 attempts", failed.LastError);
        Assert.Equal(4, fixture.Transport.AttemptsTo(to).Count);
    }

    [Fact]
    public async Task A_pending_message_resumes_in_a_new_activation()
    {
        var to = NewAddress();
        // Fails long enough for the grain to be deactivated while pending.
        fixture.Transport.Script(to, MailDeliveryResult.Transient("Connection refused"));
        var message = Grains.GetGrain<IMailMessageGrain>(Guid.NewGuid());
        await message.Enqueue(Mail(to, Guid.NewGuid()));
        await WaitForAsync(message, v => v.Attempts == 1 && v.Status == MailStatus.Pending, "the first attempt to fail and the message to wait");

        await fixture.Cluster.DeactivateAsync(message);
        var sent = await WaitForAsync(message, v => v.Status == MailStatus.Sent, "the message to be sent");

        Assert.Equal(MailStatus.Sent, sent.Status);
        Assert.Single(fixture.Transport.AcceptedFor(to));
    }

    private IMailOutboxGrain ShardOf(Guid id) => Grains.GetGrain<IMailOutboxGrain>(IMailOutboxGrain.ShardOf(id));

    [Fact]
    public async Task An_enqueued_message_is_listed_in_its_outbox_shard_until_it_is_delivered()
    {
        var to = NewAddress();
        fixture.Transport.Script(to, MailDeliveryResult.Transient("451 4.7.1 Try again later"));
        var id = Guid.NewGuid();
        var message = Grains.GetGrain<IMailMessageGrain>(id);

        await message.Enqueue(Mail(to, Guid.NewGuid()));
        Assert.Contains(id, await ShardOf(id).Pending());

        await WaitForAsync(message, v => v.Status == MailStatus.Sent, "the message to be sent");
        await UntilLeftTheOutboxAsync(id);
    }

    [Fact]
    public async Task A_message_whose_grain_went_away_before_delivery_is_delivered_by_the_shard_reminder()
    {
        var to = NewAddress();
        fixture.Transport.Script(to, MailDeliveryResult.Transient("Connection refused"));
        var id = Guid.NewGuid();
        var message = Grains.GetGrain<IMailMessageGrain>(id);
        await message.Enqueue(Mail(to, Guid.NewGuid()));
        await WaitForAsync(message, v => v.Attempts == 1 && v.Status == MailStatus.Pending, "the first attempt to fail and the message to wait");

        // The retry timer goes with the activation; nobody calls the message again, only the shard's reminder can.
        await fixture.Cluster.DeactivateAsync(message);
        await Eventually.UntilAsync(() => fixture.Transport.AcceptedFor(to).Count > 0, "delivery after the shard's reminder fired");

        Assert.Equal(MailStatus.Sent, (await WaitForAsync(message, v => v.Status == MailStatus.Sent, "the message to be sent")).Status);
        Assert.Single(fixture.Transport.AcceptedFor(to));
    }

    [Fact]
    public async Task A_shard_drops_an_id_whose_message_was_never_stored()
    {
        var id = Guid.NewGuid();
        var shard = ShardOf(id);
        await shard.Add(id);
        Assert.Contains(id, await shard.Pending());

        await UntilLeftTheOutboxAsync(id);
        await Refuse.WithAsync("mail.not_found", RuleKind.NotFound, () => Grains.GetGrain<IMailMessageGrain>(id).Get());
    }

    [Fact]
    public async Task The_project_list_reads_the_status_from_the_messages_after_the_index_restarts()
    {
        var to = NewAddress();
        var projectId = Guid.NewGuid();
        var message = Grains.GetGrain<IMailMessageGrain>(Guid.NewGuid());
        await message.Enqueue(Mail(to, projectId));
        await WaitForAsync(message, v => v.Status == MailStatus.Sent, "the message to be sent");

        // The index stored the message when it was pending; the status comes from the message grain.
        var index = Grains.GetGrain<IProjectMailGrain>(projectId);
        await fixture.Cluster.DeactivateAsync(index);
        var listed = Assert.Single(await index.List());
        Assert.Equal(MailStatus.Sent, listed.Status);
        Assert.Equal(1, listed.Attempts);
    }

    [Fact]
    public void Outbox_shards_spread_messages_and_always_pick_the_same_shard_for_a_message()
    {
        var ids = Enumerable.Range(0, 800).Select(_ => Guid.NewGuid()).ToList();
        Assert.All(ids, id => Assert.Equal(IMailOutboxGrain.ShardOf(id), IMailOutboxGrain.ShardOf(id)));
        Assert.All(ids, id => Assert.InRange(IMailOutboxGrain.ShardOf(id), 0, IMailOutboxGrain.Shards - 1));
        Assert.Equal(IMailOutboxGrain.Shards, ids.Select(IMailOutboxGrain.ShardOf).Distinct().Count());
    }

    [Fact]
    public async Task Unsafe_headers_are_refused_and_nothing_is_stored()
    {
        var message = Grains.GetGrain<IMailMessageGrain>(Guid.NewGuid());
        var mail = Mail(NewAddress(), Guid.NewGuid()) with { Subject = "Quote\r\nBcc: victim@example.com" };

        await Refuse.WithAsync(MailHeaders.InvalidCode, RuleKind.Invalid, () => message.Enqueue(mail));
        await Refuse.WithAsync("mail.not_found", RuleKind.NotFound, () => message.Get());
    }

    [Fact]
    public void Message_ids_for_activity_are_the_same_for_the_same_entry_and_purpose()
    {
        var entry = Guid.NewGuid();
        Assert.Equal(ActivityMailerGrain.MessageIdFor(entry, "staff"), ActivityMailerGrain.MessageIdFor(entry, "staff"));
        Assert.NotEqual(ActivityMailerGrain.MessageIdFor(entry, "staff"), ActivityMailerGrain.MessageIdFor(entry, "receipt"));
    }
}
