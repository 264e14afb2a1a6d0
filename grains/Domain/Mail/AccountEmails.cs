namespace Portal.Domain;

/// <summary>
/// Emails about staff accounts: an invitation to join a team and a password reset link. They belong to no project; the
/// outbox files them under a per-company id derived from <see cref="MailboxOf"/>, which no API route reaches.
/// </summary>
public static class AccountEmails
{
    public const string SenderName = "Portal";
    public const string InvitationLifetimeText = "72 hours";

    /// <summary>The id account emails of a company are filed under in the outbox (its "project").</summary>
    public static Guid MailboxOf(Guid companyId) => DerivedIds.For(companyId, "staff-mail");

    public static EmailDraft Invitation(CompanyView company, string inviterName, string email, StaffRole role, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(company);
        var subject = $"{inviterName} invited you to join {company.Name} on Portal";
        return EmailDraft.Create(
            company.Id, MailboxOf(company.Id), MailKind.StaffInvitation, null, new MailRecipient(email, null), "invited person",
            SenderName, null, subject, MailBranding.From(company), "Hello,",
            [
                $"{inviterName} invited you to join {company.Name} on Portal as {Article(role)} {StaffPermissions.Wire(role)}.",
                $"The link works once and expires on {MailFormats.DateTime(expiresAt, company.TimeZone)}. If you did not expect this, ignore this email.",
            ],
            [], "Join " + company.Name);
    }

    public static EmailDraft PasswordReset(Guid companyId, string name, string email, DateTimeOffset expiresAt)
    {
        var branding = new MailBranding("Portal", null, MailBranding.FallbackColour, null, null, null, [], null, null, "UTC");
        return EmailDraft.Create(
            companyId, MailboxOf(companyId), MailKind.PasswordReset, null, new MailRecipient(email, name), "account",
            SenderName, null, "Set a new Portal password", branding, $"Hello {name},",
            [
                "Someone (we hope you) asked to set a new password for your Portal account.",
                $"The link works once and expires on {MailFormats.DateTime(expiresAt, "UTC")} (UTC). If you did not ask, ignore this email: your password stays as it is.",
            ],
            [], "Set a new password");
    }

    private static string Article(StaffRole role) => role == StaffRole.Admin ? "an" : "a";
}
