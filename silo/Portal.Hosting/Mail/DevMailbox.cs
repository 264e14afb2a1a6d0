using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.Silo.Mail;

/// <summary>A received message as the dev mailbox lists it.</summary>
public sealed record MailboxEntry(string Id, DateTimeOffset ReceivedAt, string? Subject, string? From, string? To, string? MessageId, long Size);

/// <summary>
/// The embedded mode's mailbox: every message the in-process SMTP server receives is kept as an .eml file under
/// <c>&lt;data directory&gt;/mailbox</c> (so it survives a restart) and read back for the <c>/dev/mailbox</c> page.
/// Messages hold live portal links, so they expire after <see cref="Retention"/>: the server deletes older files when it
/// starts, and the mailbox sweeps again at most hourly as messages arrive or the list is read.
/// </summary>
public sealed partial class DevMailbox : MessageStore
{
    /// <summary>How long a received message is kept.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private static readonly TimeSpan SweepInterval = TimeSpan.FromHours(1);

    private readonly TimeProvider _clock;
    private readonly ILogger<DevMailbox> _logger;
    private long _nextSweepTicks;

    public DevMailbox(string directory, TimeProvider clock, ILogger<DevMailbox> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        Directory = Path.GetFullPath(directory);
        _clock = clock;
        _logger = logger;
    }

    public string Directory { get; }

    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var id = $"{_clock.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(Directory, id + ".tmp");
        // Written aside and renamed, so the page never reads half a message.
        await using (var file = File.Create(temporary))
        {
            foreach (var segment in buffer)
            {
                await file.WriteAsync(segment, cancellationToken);
            }
        }
        File.Move(temporary, Path.Combine(Directory, id + ".eml"));
        SweepIfDue();
        return SmtpResponse.Ok;
    }

    /// <summary>
    /// Deletes every message received more than <see cref="Retention"/> ago (and any half-written file as old), and
    /// returns how many files went. A file another process holds open stays for the next sweep.
    /// </summary>
    public int DeleteExpired()
    {
        var now = _clock.GetUtcNow();
        Interlocked.Exchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks);
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }
        var deleted = 0;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
        {
            var id = Path.GetFileNameWithoutExtension(path);
            var received = IsId(id) ? ReceivedAt(id) : (DateTimeOffset?)null;
            var expired = Path.GetExtension(path) switch
            {
                ".eml" => received is { } at && now - at > Retention,
                ".tmp" => now - (received ?? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero)) > Retention,
                _ => false,
            };
            if (!expired)
            {
                continue;
            }
            try
            {
                File.Delete(path);
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Kept until the next sweep; nothing is lost by trying again later.
                _logger.LogWarning(e, "Could not delete the expired dev mailbox file {Path}; the next sweep tries again", path);
            }
        }
        return deleted;
    }

    private void SweepIfDue()
    {
        if (_clock.GetUtcNow().UtcTicks >= Interlocked.Read(ref _nextSweepTicks))
        {
            DeleteExpired();
        }
    }

    /// <summary>Every message received, newest first.</summary>
    public async Task<IReadOnlyList<MailboxEntry>> ListAsync(CancellationToken cancellationToken)
    {
        SweepIfDue();
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        var entries = new List<MailboxEntry>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.eml"))
        {
            var id = Path.GetFileNameWithoutExtension(path);
            if (!IsId(id))
            {
                continue;
            }
            try
            {
                var message = await MimeMessage.LoadAsync(path, cancellationToken);
                entries.Add(Describe(id, message, new FileInfo(path)));
            }
            catch (FormatException)
            {
                // Not a message we can read; leave it out of the list rather than fail the page.
            }
        }
        return [.. entries.OrderByDescending(e => e.Id, StringComparer.Ordinal)];
    }

    /// <summary>The message with this id, or null when there is none (ids are checked, never used as paths as given).</summary>
    public async Task<(MailboxEntry Entry, MimeMessage Message)?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsId(id))
        {
            return null;
        }
        var path = Path.Combine(Directory, id + ".eml");
        if (!File.Exists(path))
        {
            return null;
        }
        var message = await MimeMessage.LoadAsync(path, cancellationToken);
        return (Describe(id, message, new FileInfo(path)), message);
    }

    public static bool IsId(string? id) => id is not null && IdPattern().IsMatch(id);

    // The id starts with the UTC time of receipt.
    private static DateTimeOffset ReceivedAt(string id) =>
        new(DateTime.ParseExact(id[..18], "yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal), TimeSpan.Zero);

    private static MailboxEntry Describe(string id, MimeMessage message, FileInfo file) =>
        new(id, ReceivedAt(id), message.Subject, message.From.ToString(), message.To.ToString(), message.MessageId, file.Length);

    [GeneratedRegex("^[0-9]{8}T[0-9]{9}-[0-9a-f]{32}$")]
    private static partial Regex IdPattern();
}
