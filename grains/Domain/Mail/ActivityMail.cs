namespace Portal.Domain;

/// <summary>Which activity calls for email: a receipt when a payment succeeds, staff notifications for decisions and payments.</summary>
public static class ActivityMail
{
    public static bool CallsForEmail(string? type) =>
        type is ActivityTypes.ProposalAccepted or ActivityTypes.ProposalDeclined or ActivityTypes.PaymentSucceeded;
}
