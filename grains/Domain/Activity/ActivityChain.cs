using System.Globalization;
using System.Text.Json;

namespace Portal.Domain;

/// <summary>
/// The hash chain behind a project's activity log. Each entry's hash covers its canonical form (every field in
/// a fixed order, times in UTC, amounts with two places) and the previous entry's hash, starting from
/// <see cref="Genesis"/>.
/// </summary>
public static class ActivityChain
{
    public static readonly string Genesis = new('0', 64);

    public static ActivityEntry Append(IReadOnlyList<ActivityEntry> log, ActivityInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var previous = log.Count == 0 ? null : log[^1];
        var unsealed = new ActivityEntry(
            (previous?.Sequence ?? 0) + 1, input.Id, input.Type, input.At.ToUniversalTime(), input.By,
            input.DocumentId, input.DocumentNumber, input.DocumentKind,
            input.Amount is { } amount ? Currencies.Round(amount, input.Currency) : null, input.Currency, input.Detail,
            previous?.Hash ?? Genesis, "");
        return unsealed with { Hash = HashOf(unsealed) };
    }

    /// <summary>Recomputes every hash and link; reports the first entry that does not match.</summary>
    public static ActivityVerification Verify(IReadOnlyList<ActivityEntry> log)
    {
        var verifier = new ActivityChainVerifier();
        verifier.Check(log);
        return verifier.Result;
    }

    public static string HashOf(ActivityEntry entry) => Hashing.Sha256Hex(Canonical(entry));

    /// <summary>The exact bytes that are hashed: compact JSON, fixed field order, invariant formats.</summary>
    public static byte[] Canonical(ActivityEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", entry.Sequence);
            json.WriteString("id", entry.Id.ToString("D"));
            json.WriteString("type", entry.Type);
            json.WriteString("at", entry.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("byKind", entry.By.Kind.ToString());
            json.WriteString("byClientId", entry.By.ClientId?.ToString("D"));
            json.WriteString("byName", entry.By.Name);
            json.WriteString("byEmail", entry.By.Email);
            json.WriteString("documentId", entry.DocumentId?.ToString("D"));
            json.WriteString("documentNumber", entry.DocumentNumber);
            json.WriteString("documentKind", entry.DocumentKind?.ToString());
            json.WriteString("amount", entry.Amount?.ToString("0.00", CultureInfo.InvariantCulture));
            json.WriteString("currency", entry.Currency);
            json.WriteString("detail", entry.Detail);
            json.WriteString("previousHash", entry.PreviousHash);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
