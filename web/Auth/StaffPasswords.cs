using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Portal.Web.Auth;

/// <summary>
/// Staff passwords: hashed with ASP.NET Core's <see cref="PasswordHasher{TUser}"/> (PBKDF2, salted, versioned); at
/// least 10 characters, no composition rules, and none of the 1,000 most common passwords. Hashes from before
/// accounts (the first admin's, <c>pbkdf2-sha256$…</c>) still verify and are replaced on the next sign-in.
/// </summary>
public sealed class StaffPasswords
{
    public const int MinLength = 10;
    public const int MaxLength = 256;

    private static readonly PasswordHasher<StaffPasswords> Hasher = new();
    private static readonly FrozenSet<string> Common = LoadCommon();

    // A hash of a password nobody knows: an unknown email is checked against it, so it answers in the same time.
    private readonly string _decoy;

    public StaffPasswords() => _decoy = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    /// <summary>Why the password is refused, in words for the person choosing it; null when it is fine.</summary>
    public static string? Problem(string? password) => password switch
    {
        null or { Length: < MinLength } => $"Use at least {MinLength} characters.",
        { Length: > MaxLength } => $"Use at most {MaxLength} characters.",
        _ when Common.Contains(password.ToLowerInvariant()) => "This is one of the most common passwords. Choose another.",
        _ => null,
    };

    public string Hash(string password) => Hasher.HashPassword(this, password);

    /// <summary>Whether the password matches; <paramref name="rehash"/> when the stored hash should be replaced.</summary>
    public bool Verify(string? storedHash, string password, out bool rehash)
    {
        rehash = false;
        if (storedHash is null)
        {
            Hasher.VerifyHashedPassword(this, _decoy, password);
            return false;
        }
        if (storedHash.StartsWith("pbkdf2-sha256$", StringComparison.Ordinal))
        {
            rehash = Bootstrap.PasswordHasher.Verify(password, storedHash);
            return rehash;
        }
        var result = Hasher.VerifyHashedPassword(this, storedHash, password);
        rehash = result == PasswordVerificationResult.SuccessRehashNeeded;
        return result != PasswordVerificationResult.Failed;
    }

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = typeof(StaffPasswords).Assembly.GetManifestResourceStream("Portal.Web.Auth.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The common password list is missing from the build.");
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                words.Add(line.Trim().ToLowerInvariant());
            }
        }
        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
