using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Portal.Domain;

/// <summary>Input checks shared by every aggregate; each refuses with a <c>validation.*</c> code (HTTP 400).</summary>
public static partial class Validate
{
    public static string Name(string? value, string code = RuleCodes.ValidationName, string what = "name", int maxLength = 200)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw PortalRuleViolation.Invalid(code, $"Enter a {what}.");
        }
        if (trimmed.Length > maxLength)
        {
            throw PortalRuleViolation.Invalid(code, $"The {what} can be at most {maxLength} characters.");
        }
        return trimmed;
    }

    public static string Email(string? value, string code = RuleCodes.ValidationEmail)
    {
        var trimmed = value?.Trim() ?? "";
        // MailAddress accepts display-name forms ("Jane <j@x>"); only a bare address is an email here.
        if (trimmed.Length is 0 or > 254
            || !MailAddress.TryCreate(trimmed, out var parsed)
            || !string.Equals(parsed.Address, trimmed, StringComparison.Ordinal)
            || !parsed.Host.Contains('.'))
        {
            throw PortalRuleViolation.Invalid(code, $"'{value}' is not a valid email address.");
        }
        return trimmed;
    }

    public static string? OptionalEmail(string? value, string code = RuleCodes.ValidationEmail) =>
        string.IsNullOrWhiteSpace(value) ? null : Email(value, code);

    public static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static string Currency(string? value)
    {
        var code = value?.Trim().ToUpperInvariant() ?? "";
        if (!CurrencyPattern().IsMatch(code))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationCurrency, $"'{value}' is not a three-letter currency code.");
        }
        if (!Currencies.IsSupported(code))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationCurrency, $"{code} cannot be charged by card (Stripe does not take it); choose another currency.");
        }
        return code;
    }

    public static string TimeZone(string? value)
    {
        var id = value?.Trim() ?? "";
        if (id.Length == 0)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationTimeZone, "Choose a time zone.");
        }
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return id;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationTimeZone, $"'{value}' is not a known time zone.");
        }
    }

    public static string BrandColour(string? value)
    {
        var colour = value?.Trim() ?? "";
        if (!ColourPattern().IsMatch(colour))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationBrandColour, $"'{value}' is not a colour like #1d4ed8.");
        }
        return colour.ToLowerInvariant();
    }

    public static Guid Id(Guid value, string code, string what)
    {
        if (value == Guid.Empty)
        {
            throw PortalRuleViolation.Invalid(code, $"The {what} is missing.");
        }
        return value;
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColourPattern();
}
