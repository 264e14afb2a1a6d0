using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
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
/// </summary>
public sealed partial class DevMailbox : MessageStore
{
    public DevMailbox(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var id = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}";
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
        return SmtpResponse.Ok;
    }

    /// <summary>Every message received, newest first.</summary>
    public async Task<IReadOnlyList<MailboxEntry>> ListAsync(CancellationToken cancellationToken)
    {
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
    private static MailboxEntry Describe(string id, MimeMessage message, FileInfo file) =>
        new(id, new DateTimeOffset(DateTime.ParseExact(id[..18], "yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal), TimeSpan.Zero),
            message.Subject, message.From.ToString(), message.To.ToString(), message.MessageId, file.Length);

    [GeneratedRegex("^[0-9]{8}T[0-9]{9}-[0-9a-f]{32}$")]
    private static partial Regex IdPattern();
}
