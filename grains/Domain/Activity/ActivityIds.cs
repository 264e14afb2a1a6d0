using System.Globalization;

namespace Portal.Domain;

/// <summary>Ids of activity entries that stand for "this happened (at least once) in this period", not each time.</summary>
public static class ActivityIds
{
    /// <summary>
    /// A client's look at an invoice's bank details, one per invoice, client and day in the company's time zone:
    /// the project's append (idempotent on the entry id) drops the day's repeats, so a client looping on "Make a
    /// payment" costs no write and tells staff once.
    /// </summary>
    /// <summary>
    /// Whether entries of this type stand for a period (their repeats carry a later time), so the project must
    /// remember their ids for a while after archiving them.
    /// </summary>
    public static bool StandsForADay(string type) => type == ActivityTypes.BankDetailsRevealed;

    public static Guid BankDetailsRevealed(Guid invoiceId, Guid clientId, DateOnly day) =>
        DerivedIds.For(invoiceId, $"bank-details:{clientId:N}:{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
}
