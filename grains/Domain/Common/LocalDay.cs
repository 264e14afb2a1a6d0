namespace Portal.Domain;

/// <summary>
/// Calendar days in a company's time zone. A document "valid until 29 Nov" stays valid until the last
/// moment of 29 Nov where the company is, not in UTC.
/// </summary>
public static class LocalDay
{
    public static DateOnly Today(DateTimeOffset now, string timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(now, Find(timeZone));
        return DateOnly.FromDateTime(local.DateTime);
    }

    /// <summary>True once <paramref name="day"/> is over in <paramref name="timeZone"/>.</summary>
    public static bool IsOver(DateOnly day, DateTimeOffset now, string timeZone) => Today(now, timeZone) > day;

    /// <summary>The first instant after <paramref name="day"/> in <paramref name="timeZone"/> (start of the next local day).</summary>
    public static DateTimeOffset EndOf(DateOnly day, string timeZone)
    {
        var zone = Find(timeZone);
        var nextMidnight = day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Some zones skip midnight when clocks go forward; the day then ends at the first time that exists.
        while (zone.IsInvalidTime(nextMidnight))
        {
            nextMidnight = nextMidnight.AddMinutes(15);
        }
        var utc = TimeZoneInfo.ConvertTimeToUtc(nextMidnight, zone);
        return new DateTimeOffset(utc, TimeSpan.Zero);
    }

    private static TimeZoneInfo Find(string timeZone) => TimeZoneInfo.FindSystemTimeZoneById(timeZone);
}
