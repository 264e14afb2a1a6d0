using Portal.Web.ClientPortal;

namespace Portal.Web.Live;

/// <summary>What a portal page is told: the project's new version and which parts changed; it refetches the rest.</summary>
public sealed record ProjectChangedMessage(Guid ProjectId, long Version, IReadOnlyList<string> Parts, IReadOnlyList<DocumentActivityMessage> Documents);

/// <summary>A document touched by the change, e.g. <c>proposal.edited</c>, so a page showing it can say so.</summary>
public sealed record DocumentActivityMessage(Guid DocumentId, string Type);

public sealed record AccessWithdrawnMessage(string Reason);

/// <summary>One line of the staff feed, with its sentence already written.</summary>
public sealed record FeedItemMessage(
    Guid Id, string Type, string Verb, DateTimeOffset At, string Time, Guid ProjectId, int ProjectNumber,
    Guid ClientId, string ClientName, string? DocumentNumber, string? Amount, string Text);

public sealed record PresenceMessage(Guid ProjectId, int ProjectNumber, Guid ClientId, string ClientName, bool Viewing, string Text);

public sealed record FeedSnapshotMessage(IReadOnlyList<FeedItemMessage> Items, IReadOnlyList<PresenceMessage> Presence);

public static class LiveMessages
{
    public const string Resync = "resync";

    public static ProjectChangedMessage From(ProjectChanged change) => new(
        change.ProjectId,
        change.Version,
        Parts(change.Parts),
        [.. change.Activity.Where(a => a.DocumentId is not null).Select(a => new DocumentActivityMessage(a.DocumentId!.Value, a.Type))]);

    public static ProjectChangedMessage Resynchronise(Guid projectId, long version) => new(projectId, version, [Resync], []);

    public static IReadOnlyList<string> Parts(ProjectParts parts) =>
        [.. Enum.GetValues<ProjectParts>().Where(p => p != ProjectParts.None && parts.HasFlag(p)).Select(p => p.ToString().ToLowerInvariant())];

    public static FeedSnapshotMessage From(FeedSnapshot snapshot, string timeZone) =>
        new([.. snapshot.Recent.Select(i => From(i, timeZone))], [.. snapshot.Presence.Select(p => From(new PresenceChanged(p, true)))]);

    public static PresenceMessage From(PresenceChanged change) => new(
        change.Entry.ProjectId, change.Entry.ProjectNumber, change.Entry.ClientId, change.Entry.ClientName, change.Viewing,
        change.Viewing
            ? $"{change.Entry.ClientName} is viewing Project #{change.Entry.ProjectNumber} now"
            : $"{change.Entry.ClientName} left Project #{change.Entry.ProjectNumber}");

    public static FeedItemMessage From(FeedItem item, string timeZone)
    {
        var entry = item.Entry;
        var who = item.ClientName;
        var document = entry.DocumentNumber is { } number ? $"{KindName(entry.DocumentKind)} {number}".Trim() : "a document";
        var amount = entry.Amount is { } value && entry.Currency is { } currency ? Formats.Money(value, currency) : null;
        var withAmount = amount is null ? "" : " · " + amount;
        var (verb, text) = entry.Type switch
        {
            ActivityTypes.ProposalViewed or ActivityTypes.InvoiceViewed => ("viewed", $"{who} viewed {document}"),
            ActivityTypes.ProposalAccepted => ("accepted", $"{who} accepted {document}{withAmount}"),
            ActivityTypes.ProposalDeclined => ("declined", $"{who} declined {document}{withAmount}"),
            ActivityTypes.BankDetailsRevealed => ("revealed bank details", $"{who} revealed bank details for {entry.DocumentNumber ?? document}"),
            ActivityTypes.PaymentSucceeded => ("paid", $"{who} paid {amount ?? "an amount"} on {entry.DocumentNumber ?? document}"),
            ActivityTypes.PaymentFailed => ("payment failed", $"{who}'s payment of {amount ?? "an amount"} on {entry.DocumentNumber ?? document} failed"),
            ActivityTypes.PaymentRefundDue => ("refund due", $"{who} paid {amount ?? "an amount"} on {entry.DocumentNumber ?? document}, which was not owed: refund due"),
            _ => (entry.Type, $"{who}: {entry.Type} {document}"),
        };
        return new FeedItemMessage(
            entry.Id, entry.Type, verb, entry.At, Formats.DateTime(entry.At, timeZone), item.ProjectId, item.ProjectNumber,
            item.ClientId, who, entry.DocumentNumber, amount, $"{text} (Project #{item.ProjectNumber})");
    }

    private static string KindName(DocumentKind? kind) => kind switch
    {
        DocumentKind.Quote => "Quote",
        DocumentKind.Estimate => "Estimate",
        DocumentKind.Invoice => "Invoice",
        _ => "",
    };
}
