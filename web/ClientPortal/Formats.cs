using System.Globalization;

namespace Portal.Web.ClientPortal;

/// <summary>UK formats by default: "£1,250.00", "29 Nov 2026", "14:05 GMT" in the company's time zone.</summary>
public static class Formats
{
    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    public static string Money(decimal amount, string currency) => new global::Portal.Money(amount, currency).Format();

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", Uk);

    public static string Date(DateTimeOffset at, string timeZone) => Local(at, timeZone).ToString("d MMM yyyy", Uk);

    public static string Time(DateTimeOffset at, string timeZone)
    {
        var zone = Zone(timeZone);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return $"{local.ToString("HH:mm", Uk)} {Abbreviation(zone, local)}";
    }

    public static string DateTime(DateTimeOffset at, string timeZone) => $"{Date(at, timeZone)}, {Time(at, timeZone)}";

    public static DateTimeOffset Local(DateTimeOffset at, string timeZone) => TimeZoneInfo.ConvertTime(at, Zone(timeZone));

    public static string Quantity(decimal quantity) => quantity.ToString("0.##", Uk);

    public static string Rate(decimal rate) => rate.ToString("0.##", Uk) + "%";

    private static TimeZoneInfo Zone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    // .NET has no short zone names; the UK's two are the ones our clients read, others show their UTC offset.
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

/// <summary>Status badges: one colour meaning each, everywhere.</summary>
public static class Badges
{
    public static (string Label, string Tone) For(ProposalStatus status) => status switch
    {
        ProposalStatus.Draft => ("Draft", "neutral"),
        ProposalStatus.Sent => ("Received", "neutral"),
        ProposalStatus.Viewed => ("Viewed", "blue"),
        ProposalStatus.Accepted => ("Accepted", "green"),
        ProposalStatus.Declined => ("Declined", "red"),
        ProposalStatus.Expired => ("Expired", "red"),
        ProposalStatus.Withdrawn => ("Withdrawn", "red"),
        _ => (status.ToString(), "neutral"),
    };

    public static (string Label, string Tone) For(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Draft => ("Draft", "neutral"),
        InvoiceStatus.Sent => ("Unpaid", "neutral"),
        InvoiceStatus.Viewed => ("Unpaid", "blue"),
        InvoiceStatus.PartiallyPaid => ("Partially paid", "amber"),
        InvoiceStatus.Paid => ("Paid", "green"),
        InvoiceStatus.Void => ("Void", "red"),
        _ => (status.ToString(), "neutral"),
    };

    public static (string Label, string Tone) For(PaymentStatus status) => status switch
    {
        PaymentStatus.Pending => ("Processing", "blue"),
        PaymentStatus.Succeeded => ("Paid", "green"),
        PaymentStatus.Failed => ("Failed", "red"),
        PaymentStatus.Refunded => ("Refunded", "amber"),
        _ => (status.ToString(), "neutral"),
    };

    public static (string Label, string Tone) For(ProjectStatus status) => status == ProjectStatus.Complete ? ("Complete", "green") : ("Open", "neutral");
}
