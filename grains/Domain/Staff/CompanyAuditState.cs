namespace Portal.Domain;

/// <summary>A company's audit log (see <see cref="ICompanyAuditGrain"/>), chained by <see cref="ActivityChain"/>.</summary>
public sealed class CompanyAuditState
{
    public const int MaxDetail = 500;

    public List<ActivityEntry> Entries { get; set; } = [];

    /// <summary>Appends an entry unless one with the same id exists; answers whether it appended.</summary>
    public bool Record(Guid id, string action, string detail, Actor by, DateTimeOffset now)
    {
        Validate.Id(id, RuleCodes.ValidationFailed, "id");
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentNullException.ThrowIfNull(by);
        if (Entries.Any(e => e.Id == id))
        {
            return false;
        }
        var text = (detail ?? "").Trim();
        Entries.Add(ActivityChain.Append(Entries, new ActivityInput(id, action, now, by,
            Detail: text.Length > MaxDetail ? text[..MaxDetail] : text)));
        return true;
    }

    public CompanyAuditView ToView() => new([.. Entries], ActivityChain.Verify(Entries));
}
