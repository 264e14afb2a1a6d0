using Microsoft.Extensions.Options;
using Portal.Silo.Configuration;

namespace Portal.Web.Auth;

/// <summary>The outcome of a sign-up: the account and company, or what to fix, by form field.</summary>
public sealed record SignUpResult(StaffUserView? User, Guid? CompanyId, IReadOnlyDictionary<string, string> Errors);

/// <summary>
/// Staff accounts as people use them: sign up (a company and its owner), sign in with email and password, and the
/// companies a person can pick from. Rules live in the grains; this composes them.
/// </summary>
public sealed class StaffAccounts(IGrainFactory grains, StaffPasswords passwords, IOptions<PortalOptions> options, ILogger<StaffAccounts> logger)
{
    /// <summary>Whether <c>/staff/sign-up</c> takes new companies: <c>Portal:SignUp:Open</c>, by default only in embedded mode.</summary>
    public bool SignUpOpen => options.Value.SignUp.Open ?? string.Equals(options.Value.Orleans.Mode.Trim(), OrleansModes.Embedded, StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates a company and its owner. The email's index entry is claimed first, so two sign-ups never share one.</summary>
    public async Task<SignUpResult> SignUpAsync(string? companyName, string? name, string? email, string? password)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(companyName))
        {
            errors["companyName"] = "Enter your company's name.";
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            errors["name"] = "Enter your name.";
        }
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            errors["email"] = "Enter your email address, like name@example.com.";
        }
        if (StaffPasswords.Problem(password) is { } problem)
        {
            errors["password"] = problem;
        }
        if (errors.Count > 0)
        {
            return new SignUpResult(null, null, errors);
        }

        var userId = Guid.NewGuid();
        var holder = await grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(email!)).Claim(userId);
        if (holder != userId)
        {
            errors["email"] = "An account with this email already exists. Sign in instead.";
            return new SignUpResult(null, null, errors);
        }
        try
        {
            var user = await grains.GetGrain<IStaffUserGrain>(userId).Create(name!, email!, passwords.Hash(password!));
            var companyId = Guid.NewGuid();
            await grains.GetGrain<ICompanyGrain>(companyId).Create(companyName!.Trim());
            await grains.GetGrain<ICompanyTeamGrain>(companyId).Add(userId, user.Name, user.Email, StaffRole.Owner);
            logger.LogInformation("Company {CompanyId} signed up with owner {UserId}", companyId, userId);
            return new SignUpResult(await grains.GetGrain<IStaffUserGrain>(userId).Find(), companyId, errors);
        }
        catch (PortalRuleViolation rule) when (rule.Kind == RuleKind.Invalid)
        {
            errors[rule.Code == RuleCodes.ValidationEmail ? "email" : rule.Code == RuleCodes.ValidationName ? "name" : "companyName"] = rule.Message;
            return new SignUpResult(null, null, errors);
        }
    }

    /// <summary>
    /// The account for an email and password, or null. A wrong email, a wrong password and a locked account get the
    /// same null after the same work (an unknown email is checked against a decoy hash), so answers reveal no account.
    /// </summary>
    public async Task<StaffUserView?> PasswordSignInAsync(string? email, string? password)
    {
        if (string.IsNullOrWhiteSpace(email) || password is null || password.Length > StaffPasswords.MaxLength)
        {
            passwords.Verify(null, password ?? "", out _);
            return null;
        }
        var userId = await grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(email)).Find();
        if (userId is null)
        {
            passwords.Verify(null, password, out _);
            return null;
        }
        var account = grains.GetGrain<IStaffUserGrain>(userId.Value);
        var check = await account.BeginPasswordSignIn();
        var valid = passwords.Verify(check.PasswordHash, password, out var rehash);
        if (check.PasswordHash is null)
        {
            return null; // locked: the password is not even compared
        }
        await account.RecordPasswordSignIn(valid);
        if (!valid)
        {
            return null;
        }
        if (rehash)
        {
            await account.SetPasswordKeepingSessions(passwords.Hash(password));
        }
        return await account.Find();
    }

    /// <summary>The companies a person belongs to, with their names, for the picker.</summary>
    public async Task<IReadOnlyList<(Guid CompanyId, string Name, StaffRole Role)>> CompaniesOfAsync(StaffUserView user)
    {
        var names = await Task.WhenAll(user.Memberships.Select(async m => (m.CompanyId, (await grains.GetGrain<ICompanyGrain>(m.CompanyId).Get()).Name, m.Role)));
        return [.. names.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)];
    }
}
