using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Portal.Domain;
using Portal.Web.Links;

namespace Portal.Web.Auth;

/// <summary>The outcome of using a one-time link: the account to sign in, or what to fix, by form field.</summary>
public sealed record TicketResult(StaffUserView? User, Guid CompanyId, IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// Invitations to a team and password resets: a 256-bit token (base64url) in the emailed link, only its SHA-256 stored
/// (it keys the ticket grain), single use. Invitations last 72 hours and are bound to the company, the email address,
/// the role and who invited; reset links last an hour. Rules live in the grains; this composes them.
/// </summary>
public sealed class StaffTickets(IGrainFactory grains, StaffPasswords passwords, StaffAccounts accounts, PublicUrls urls, TimeProvider clock, ILogger<StaffTickets> logger)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromHours(72);
    public static readonly TimeSpan ResetLifetime = TimeSpan.FromHours(1);
    public const string InvitePath = "/staff/invite/";
    public const string ResetPath = "/staff/reset-password/";

    /// <summary>A fresh token; only its hash is ever stored.</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// Invites <paramref name="email"/> to the caller's company as admin or member and emails the link. An admin
    /// cannot invite an owner (403 <c>staff.forbidden</c>); ownership is handed on to a member, never invited.
    /// </summary>
    public async Task<StaffTicketView> InviteAsync(ClaimsPrincipal actor, string? email, string? role)
    {
        if (!actor.Can(StaffRight.Administer))
        {
            throw PortalRuleViolation.Forbidden("Only owners and admins invite people.");
        }
        if (!StaffPermissions.TryParse(role, out var invitedRole))
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationFailed, "role must be admin or member.");
        }
        if (invitedRole == StaffRole.Owner)
        {
            throw actor.Can(StaffRight.TransferOwnership)
                ? PortalRuleViolation.Invalid(RuleCodes.ValidationFailed, "Invite them as an admin, then make them the owner.")
                : PortalRuleViolation.Forbidden("An admin cannot invite an owner.");
        }
        var address = Validate.Email(email);
        var companyId = actor.GetCompanyId();
        var team = await grains.GetGrain<ICompanyTeamGrain>(companyId).List();
        if (team.Any(m => string.Equals(m.Email, address, StringComparison.OrdinalIgnoreCase)))
        {
            throw new PortalRuleViolation(RuleCodes.StaffAlreadyMember, "This person is already on the team.");
        }
        var company = await grains.GetGrain<ICompanyGrain>(companyId).Get();
        var inviter = actor.Identity?.Name ?? company.Name;
        var token = NewToken();
        var expiresAt = clock.GetUtcNow() + InvitationLifetime;
        var mail = AccountEmails.Invitation(company, inviter, address, invitedRole, expiresAt).WithLink(urls.Absolute(InvitePath + token));
        var ticket = await grains.GetGrain<IStaffTicketGrain>(HashToken(token)).Issue(new IssueStaffTicket(
            Guid.NewGuid(), StaffTicketKind.Invitation, companyId, null, address, invitedRole, actor.GetUserId(), inviter, expiresAt, mail));
        logger.LogInformation("Invitation {InvitationId} to company {CompanyId} as {Role} issued", ticket.Id, companyId, invitedRole);
        return ticket;
    }

    /// <summary>The invitation behind a token, or the refusal (404 unknown, 410 used or expired).</summary>
    public Task<StaffTicketView> CheckInvitationAsync(string token) =>
        grains.GetGrain<IStaffTicketGrain>(HashToken(token)).Check(StaffTicketKind.Invitation);

    /// <summary>Whether the invited address already has an account (then its password is asked instead of a new one).</summary>
    public async Task<bool> HasAccountAsync(string email) =>
        await grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(email)).Find() is not null;

    /// <summary>
    /// Accepts an invitation: a new account (name and a password the policy accepts), or the existing account of the
    /// invited address (its password), joins the team with the invited role. The invitation is used only once every
    /// field is right, and before anything else changes, so it cannot be replayed.
    /// </summary>
    public async Task<TicketResult> AcceptInvitationAsync(string token, string? name, string? password)
    {
        var ticket = grains.GetGrain<IStaffTicketGrain>(HashToken(token));
        var invitation = await ticket.Check(StaffTicketKind.Invitation);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        StaffUserView? user;
        if (await HasAccountAsync(invitation.Email))
        {
            user = await accounts.PasswordSignInAsync(invitation.Email, password);
            if (user is null)
            {
                errors["password"] = "That is not this account's password, or the account is locked for 15 minutes after too many attempts.";
                return new TicketResult(null, invitation.CompanyId, errors);
            }
            invitation = await ticket.Use(StaffTicketKind.Invitation);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                errors["name"] = "Enter your name.";
            }
            else if (name.Trim().Length > 100)
            {
                errors["name"] = "Your name can be at most 100 characters.";
            }
            if (StaffPasswords.Problem(password) is { } problem)
            {
                errors["password"] = problem;
            }
            if (errors.Count > 0)
            {
                return new TicketResult(null, invitation.CompanyId, errors);
            }
            invitation = await ticket.Use(StaffTicketKind.Invitation);
            var userId = Guid.NewGuid();
            var holder = await grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(invitation.Email)).Claim(userId);
            if (holder != userId)
            {
                // Someone made an account with this address a moment ago: the invitation is spent; ask for another.
                errors["password"] = "An account with this email was just created. Ask for a new invitation and sign in with it.";
                return new TicketResult(null, invitation.CompanyId, errors);
            }
            user = await grains.GetGrain<IStaffUserGrain>(userId).Create(name!.Trim(), invitation.Email, passwords.Hash(password!));
        }
        await grains.GetGrain<ICompanyTeamGrain>(invitation.CompanyId).Add(user.Id, user.Name, user.Email, invitation.Role);
        logger.LogInformation("Invitation {InvitationId} accepted by {UserId}", invitation.Id, user.Id);
        return new TicketResult(await grains.GetGrain<IStaffUserGrain>(user.Id).Find(), invitation.CompanyId, errors);
    }

    /// <summary>
    /// Emails a reset link when an account uses <paramref name="email"/>; says nothing either way (the page answers the
    /// same words whether or not the account exists).
    /// </summary>
    public async Task RequestResetAsync(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 254
            || await grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(email)).Find() is not { } userId
            || await grains.GetGrain<IStaffUserGrain>(userId).Find() is not { } user)
        {
            return;
        }
        var companyId = user.Memberships.Count > 0 ? user.Memberships[0].CompanyId : DerivedIds.For(user.Id, "account");
        var token = NewToken();
        var expiresAt = clock.GetUtcNow() + ResetLifetime;
        var mail = AccountEmails.PasswordReset(companyId, user.Name, user.Email, expiresAt).WithLink(urls.Absolute(ResetPath + token));
        var ticket = await grains.GetGrain<IStaffTicketGrain>(HashToken(token)).Issue(new IssueStaffTicket(
            Guid.NewGuid(), StaffTicketKind.PasswordReset, companyId, user.Id, user.Email, StaffRole.Member, user.Id, user.Name, expiresAt, mail));
        logger.LogInformation("Password reset {TicketId} issued for {UserId}", ticket.Id, user.Id);
    }

    /// <summary>The reset behind a token, or the refusal (404 unknown, 410 used or expired).</summary>
    public Task<StaffTicketView> CheckResetAsync(string token) =>
        grains.GetGrain<IStaffTicketGrain>(HashToken(token)).Check(StaffTicketKind.PasswordReset);

    /// <summary>Sets the new password (ending every other session) once the policy accepts it; the link is spent first.</summary>
    public async Task<TicketResult> ResetPasswordAsync(string token, string? password)
    {
        var ticket = grains.GetGrain<IStaffTicketGrain>(HashToken(token));
        var reset = await ticket.Check(StaffTicketKind.PasswordReset);
        if (StaffPasswords.Problem(password) is { } problem)
        {
            return new TicketResult(null, reset.CompanyId, new Dictionary<string, string> { ["password"] = problem });
        }
        reset = await ticket.Use(StaffTicketKind.PasswordReset);
        var account = grains.GetGrain<IStaffUserGrain>(reset.UserId!.Value);
        await account.SetPassword(passwords.Hash(password!));
        logger.LogInformation("Password reset {TicketId} used by {UserId}", reset.Id, reset.UserId);
        return new TicketResult(await account.Find(), reset.CompanyId, new Dictionary<string, string>());
    }
}

/// <summary>Signing in the person a link was for, as the sign-in form would.</summary>
public static class StaffLinkSignIn
{
    /// <summary>
    /// Signs <paramref name="user"/> in to <paramref name="companyId"/> when they belong to it, else to their first
    /// company; answers where to go next (the picker for someone in several companies, the sign-in form for nobody's).
    /// </summary>
    public static async Task<string> SignInAsync(HttpContext http, StaffUserView user, Guid companyId, DateTimeOffset now)
    {
        var membership = user.Memberships.FirstOrDefault(m => m.CompanyId == companyId) ?? (user.Memberships.Count > 0 ? user.Memberships[0] : null);
        if (membership is null)
        {
            return StaffSessions.SignInPath;
        }
        await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.SignInAsync(
            http, StaffSessions.Scheme, StaffSessions.CreatePrincipal(user, membership.CompanyId, membership.Role, now));
        return user.Memberships.Count > 1 && membership.CompanyId != companyId ? "/staff/companies" : "/staff/feed";
    }
}
