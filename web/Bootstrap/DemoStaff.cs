using Portal.Web.Auth;

namespace Portal.Web.Bootstrap;

/// <summary>
/// The demo company's team besides its owner (the bootstrap admin): an office manager (admin) and a field engineer
/// (member), each with a generated password that the start-up banner shows once. Seeded only where secrets are shown
/// (embedded Development mode): elsewhere nobody could learn the passwords, so no such accounts are made.
/// </summary>
public sealed class DemoStaff(IGrainFactory grains, StaffPasswords passwords, ILogger<DemoStaff> logger)
{
    /// <summary>Who the demo seeds, in the demo company's domain.</summary>
    public static IReadOnlyList<(string Name, string Email, StaffRole Role)> People { get; } =
    [
        ("Olivia Hart", "office@brightwater.example", StaffRole.Admin),
        ("Sam Patel", "field@brightwater.example", StaffRole.Member),
    ];

    /// <summary>
    /// Creates the accounts that do not exist yet and adds them to the company; answers each new account with its
    /// password (to print once). An address already taken is left alone, so every start may call this.
    /// </summary>
    public async Task<IReadOnlyList<(string Email, StaffRole Role, string Password)>> SeedAsync(Guid companyId, Func<string> newPassword)
    {
        var created = new List<(string, StaffRole, string)>();
        foreach (var (name, email, role) in People)
        {
            var address = grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(email));
            if (await address.Find() is not null)
            {
                continue;
            }
            var userId = Guid.NewGuid();
            if (await address.Claim(userId) != userId)
            {
                continue;
            }
            var password = newPassword();
            var user = await grains.GetGrain<IStaffUserGrain>(userId).Create(name, email, passwords.Hash(password));
            await grains.GetGrain<ICompanyTeamGrain>(companyId).Add(userId, user.Name, user.Email, role);
            created.Add((email, role, password));
        }
        if (created.Count > 0)
        {
            logger.LogInformation("Seeded {Count} demo staff accounts", created.Count);
        }
        return created;
    }
}
