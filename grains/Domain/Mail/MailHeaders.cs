using System.Net.Mail;

namespace Portal.Domain;

/// <summary>
/// The values that end up in message headers (names, subject, addresses). A line break there would let whoever
/// controls the value add headers of their own (Bcc:, a second body), so anything with a control character is
/// refused outright rather than cleaned up.
/// </summary>
public static class MailHeaders
{
    public const string InvalidCode = RuleCodes.ValidationMailHeader;
    public const int MaxSubjectLength = 250;
    public const int MaxNameLength = 200;

    /// <summary>True when the value has CR, LF or any other control character (including Unicode line separators).</summary>
    public static bool HasControlCharacters(string? value) =>
        value is not null && value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');

    /// <summary>Refuses a header value (display name, subject) with control characters or over <paramref name="maxLength"/>.</summary>
    public static string Text(string? value, string what, int maxLength = MaxNameLength)
    {
        var text = value?.Trim() ?? "";
        if (HasControlCharacters(text))
        {
            throw PortalRuleViolation.Invalid(InvalidCode, $"The {what} contains a line break or another control character, so it cannot be used in an email.");
        }
        if (text.Length > maxLength)
        {
            throw PortalRuleViolation.Invalid(InvalidCode, $"The {what} is longer than {maxLength} characters, too long for an email header.");
        }
        return text;
    }

    /// <summary>Refuses anything but a bare address (<c>name@example.com</c>): no display name, no control characters.</summary>
    public static string Address(string? value, string what)
    {
        var text = value?.Trim() ?? "";
        if (HasControlCharacters(text))
        {
            throw PortalRuleViolation.Invalid(InvalidCode, $"The {what} contains a line break or another control character, so it cannot be used in an email.");
        }
        if (text.Length is 0 or > 254
            || !MailAddress.TryCreate(text, out var parsed)
            || !string.Equals(parsed.Address, text, StringComparison.Ordinal))
        {
            throw PortalRuleViolation.Invalid(InvalidCode, $"The {what} '{text}' is not a valid email address.");
        }
        return text;
    }
}
