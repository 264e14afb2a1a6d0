using System.Security.Cryptography;
using System.Text;

namespace Portal.Domain;

/// <summary>
/// Ids derived from what caused them (a document and its send number, a shared file): the same inputs always give
/// the same id, so a retried step finds the result of the first attempt instead of making a second one.
/// </summary>
public static class DerivedIds
{
    /// <summary>The id for one <paramref name="purpose"/> (e.g. "send-1:mail") of <paramref name="source"/>.</summary>
    public static Guid For(Guid source, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"portal-derived:{source:N}:{purpose}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
