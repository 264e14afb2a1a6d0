using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Silo.Mail;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional.Mail;

/// <summary>
/// The dev mailbox keeps messages (with their live portal links) for seven days: older files go when the embedded SMTP
/// server starts, and as later messages arrive or the list is read.
/// </summary>
[Trait("Category", "Security")]
public sealed class DevMailboxExpiryTests
{
    [Fact]
    public async Task Messages_older_than_seven_days_are_deleted_as_new_ones_arrive_and_the_rest_stay()
    {
        var clock = new ShiftedClock();
        var mailbox = new DevMailbox(PortalTestHost.NewDataDirectory(), clock, NullLogger<DevMailbox>.Instance);

        await ReceiveAsync(mailbox, "First");
        clock.Advance(TimeSpan.FromDays(6));
        await ReceiveAsync(mailbox, "Second");
        Assert.Equal(new[] { "Second", "First" }, await SubjectsAsync(mailbox));

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await ReceiveAsync(mailbox, "Third");

        Assert.Equal(new[] { "Third", "Second" }, await SubjectsAsync(mailbox));
        Assert.Equal(2, Directory.GetFiles(mailbox.Directory, "*.eml").Length);
    }

    [Fact]
    public async Task Reading_the_list_after_seven_days_deletes_what_expired_even_when_nothing_new_arrives()
    {
        var clock = new ShiftedClock();
        var mailbox = new DevMailbox(PortalTestHost.NewDataDirectory(), clock, NullLogger<DevMailbox>.Instance);
        await ReceiveAsync(mailbox, "Old");
        Assert.Equal(new[] { "Old" }, await SubjectsAsync(mailbox));

        clock.Advance(DevMailbox.Retention + TimeSpan.FromHours(1));

        Assert.Empty(await SubjectsAsync(mailbox));
        Assert.Empty(Directory.GetFiles(mailbox.Directory));
    }

    [Fact]
    public async Task Starting_the_embedded_smtp_server_deletes_expired_messages_and_keeps_recent_ones()
    {
        var directory = PortalTestHost.NewDataDirectory();
        var clock = new ShiftedClock();
        var earlier = new DevMailbox(directory, clock, NullLogger<DevMailbox>.Instance);
        await ReceiveAsync(earlier, "Eight days old");
        clock.Advance(TimeSpan.FromDays(2));
        await ReceiveAsync(earlier, "Six days old");
        // A write left half done by a crash, as old as the oldest message.
        var leftover = Path.Combine(directory, "leftover.tmp");
        await File.WriteAllTextAsync(leftover, "partial");
        File.SetLastWriteTimeUtc(leftover, clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(8));
        clock.Advance(TimeSpan.FromDays(6));

        // A new start: a fresh mailbox over the same directory, as after a restart.
        var mailbox = new DevMailbox(directory, clock, NullLogger<DevMailbox>.Instance);
        Assert.Equal(2, Directory.GetFiles(directory, "*.eml").Length);
        var server = new EmbeddedSmtpServer(mailbox, 0, NullLogger<EmbeddedSmtpServer>.Instance);
        await server.StartAsync(CancellationToken.None);
        try
        {
            var remaining = Assert.Single(Directory.GetFiles(directory));
            Assert.EndsWith(".eml", remaining, StringComparison.Ordinal);
            Assert.Equal(new[] { "Six days old" }, await SubjectsAsync(mailbox));
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }
    }

    private static async Task ReceiveAsync(DevMailbox mailbox, string subject)
    {
        var message = $"From: office@example.com\r\nTo: jane@example.com\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@example.com>\r\n\r\nHello.\r\n";
        await mailbox.SaveAsync(null!, null!, new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(message)), CancellationToken.None);
    }

    private static async Task<List<string>> SubjectsAsync(DevMailbox mailbox) =>
        [.. (await mailbox.ListAsync(CancellationToken.None)).Select(e => e.Subject ?? string.Empty)];
}
