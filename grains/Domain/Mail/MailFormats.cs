using System.Globalization;

namespace Portal.Domain;

/// <summary>UK formats for message text: "29 Nov 2026", "14:05 GMT" in the company's time zone.</summary>
public static class MailFormats
{
    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    public static string Money(decimal amount, string currency) => new Portal.Money(amount, currency).Format();

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", Uk);

    public static string DateTime(DateTimeOffset at, string timeZone)
    {
        var zone = Zone(timeZone);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return $"{local.ToString("d MMM yyyy", Uk)} at {local.ToString("HH:mm", Uk)} {Abbreviation(zone, local)}";
    }

    private static TimeZoneInfo Zone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    private static string Abbreviation(TimeZoneInfo zone, DateTimeOffset local)
    {
        if (zone.Id is "Europe/London" or "GB")
        {
            return zone.IsDaylightSavingTime(local) ? "BST" : "GMT";
        }
        if (local.Offset == TimeSpan.Zero)
        {
            return "UTC";
        }
        var sign = local.Offset < TimeSpan.Zero ? "-" : "+";
        return $"UTC{sign}{local.Offset:hh\\:mm}";
    }
}
