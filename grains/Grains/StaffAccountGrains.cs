using Microsoft.Extensions.Logging;
using Portal.Domain;

namespace Portal.Grains;

public sealed class StaffUserGrain(
    [PersistentState("staffuser", StorageNames.Portal)] IPersistentState<StaffUserState> state,
    ILogger<StaffUserGrain> logger)
    : PortalGrain<StaffUserState>(state, logger), IStaffUserGrain
{
    private Guid Id => this.GetPrimaryKey();

    public async Task<StaffUserView> Create(string name, string email, string passwordHash)
    {
        if (State.Create(name, email, passwordHash, Guid.NewGuid(), Now))
        {
            await CommitAsync();
        }
        return State.ToView(Id)!;
    }

    public Task<StaffUserView?> Find() => Task.FromResult(State.ToView(Id));

    public Task<PasswordCheck> BeginPasswordSignIn() => Task.FromResult(State.BeginPasswordSignIn(Now));

    public async Task RecordPasswordSignIn(bool succeeded)
    {
        if (State.RecordPasswordSignIn(succeeded, Now))
        {
            await CommitAsync();
        }
    }

    public async Task SetPassword(string passwordHash)
    {
        State.SetPassword(passwordHash, Guid.NewGuid());
        await CommitAsync();
        await EndLiveSessionsAsync();
    }

    public async Task SetPasswordKeepingSessions(string passwordHash)
    {
        State.Rehash(passwordHash);
        await CommitAsync();
    }

    public async Task SetMembership(Guid companyId, StaffRole role)
    {
        var stamp = State.SecurityStamp;
        if (State.SetMembership(companyId, role, Guid.NewGuid()))
        {
            await CommitAsync();
            if (State.SecurityStamp != stamp)
            {
                await EndLiveSessionsAsync();
            }
        }
    }

    public async Task RemoveMembership(Guid companyId)
    {
        if (State.RemoveMembership(companyId, Guid.NewGuid()))
        {
            await CommitAsync();
        }
        // Repeated on a repeated call too: the company just left must close the person's hub connections.
        await EndLiveSessionsAsync(companyId);
    }

    public async Task EndSessions()
    {
        State.EndSessions(Guid.NewGuid());
        await CommitAsync();
        await EndLiveSessionsAsync();
    }

    /// <summary>
    /// After a stored stamp change: tells the live feed of every company the person belongs to (and one just left) so
    /// each web node closes their open staff hub connections now. A lost telling is caught by the nodes' periodic
    /// re-check of open connections against the stamp.
    /// </summary>
    private async Task EndLiveSessionsAsync(Guid? leftCompany = null)
    {
        var companies = State.Memberships.Select(m => m.CompanyId).Append(leftCompany ?? Guid.Empty)
            .Where(id => id != Guid.Empty).Distinct().ToList();
        foreach (var companyId in companies)
        {
            await NotifyAsync("tell the live feed the person's sessions ended",
                () => GrainFactory.GetGrain<ICompanyFeedGrain>(companyId).StaffSessionsEnded(Id));
        }
    }

    // --- Passkeys (issue 15 point 4) ---

    public Task<IReadOnlyList<StaffPasskey>> ListPasskeys() =>
        Task.FromResult<IReadOnlyList<StaffPasskey>>(State.Created ? [.. State.Passkeys] : []);

    public async Task AddPasskey(StaffPasskey passkey)
    {
        if (State.AddPasskey(passkey with { CreatedAt = Now, LastUsedAt = null }))
        {
            await CommitAsync();
        }
    }

    public async Task<bool> RemovePasskey(string credentialId)
    {
        if (!State.RemovePasskey(credentialId))
        {
            return false;
        }
        await CommitAsync();
        // After the account forgot it: a sign-in racing the index still finds no passkey on the account.
        await GrainFactory.GetGrain<IStaffPasskeyGrain>(credentialId).Release(Id);
        return true;
    }

    public Task<StaffPasskey?> FindPasskey(string credentialId) =>
        Task.FromResult(State.Created ? State.Passkeys.FirstOrDefault(p => p.CredentialId == credentialId) : null);

    public async Task<bool> RecordPasskeySignIn(string credentialId, uint signCount)
    {
        if (!State.RecordPasskeySignIn(credentialId, signCount, Now))
        {
            return false;
        }
        await CommitAsync();
        return true;
    }
}

/// <summary>Keyed by a passkey's base64url credential id: the one account that holds it.</summary>
public sealed class StaffPasskeyGrain(
    [PersistentState("staffpasskey", StorageNames.Portal)] IPersistentState<StaffPasskeyIndexState> state,
    ILogger<StaffPasskeyGrain> logger)
    : UserIndexGrain<StaffPasskeyIndexState>(state, logger), IStaffPasskeyGrain
{
    public async Task Release(Guid userId)
    {
        if (State.UserId == userId)
        {
            State.UserId = null;
            await CommitAsync();
        }
    }
}

/// <summary>
/// One passkey ceremony's challenge, in memory only: a restart merely makes the person press the button again. Taken
/// once, then the activation goes.
/// </summary>
public sealed class PasskeyChallengeGrain : Grain, IPasskeyChallengeGrain
{
    private PasskeyChallenge? _challenge;
    private bool _used;

    public Task Put(PasskeyChallenge challenge)
    {
        if (_challenge is not null || _used)
        {
            throw PortalRuleViolation.Invalid(RuleCodes.ValidationName, "This ceremony already started.");
        }
        _challenge = challenge;
        return Task.CompletedTask;
    }

    public Task<PasskeyChallenge?> Take()
    {
        var challenge = _challenge;
        _challenge = null;
        _used = true;
        var clock = ServiceProvider.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        return Task.FromResult(challenge is not null && challenge.ExpiresAt > clock.GetUtcNow() ? challenge : null);
    }
}

/// <summary>Keyed by the email address, trimmed and lower-case: the one account that holds it.</summary>
public sealed class StaffEmailGrain(
    [PersistentState("staffemail", StorageNames.Portal)] IPersistentState<StaffEmailState> state,
    ILogger<StaffEmailGrain> logger)
    : UserIndexGrain<StaffEmailState>(state, logger), IStaffEmailGrain;

/// <summary>An index entry claimed by the first account that asks; later claims answer that account.</summary>
public abstract class UserIndexGrain<TState>(IPersistentState<TState> state, ILogger logger) : PortalGrain<TState>(state, logger)
    where TState : class, IUserIndexState, new()
{
    public Task<Guid?> Find() => Task.FromResult(State.UserId);

    public async Task<Guid> Claim(Guid userId)
    {
        if (State.UserId is { } holder)
        {
            return holder;
        }
        State.UserId = userId;
        await CommitAsync();
        return userId;
    }
}

public sealed class CompanyTeamGrain(
    [PersistentState("companyteam", StorageNames.Portal)] IPersistentState<CompanyTeamState> state,
    ILogger<CompanyTeamGrain> logger)
    : AuditingGrain<CompanyTeamState>(state, logger), ICompanyTeamGrain
{
    private Guid CompanyId => this.GetPrimaryKey();

    public Task<IReadOnlyList<TeamMember>> List() => Task.FromResult<IReadOnlyList<TeamMember>>([.. State.Members]);

    /// <summary>
    /// The team and its audit entry are written first, then the person's membership (idempotent, repeated by a
    /// retried call), then the entry is delivered.
    /// </summary>
    public async Task<TeamMember> Add(Guid userId, string name, string email, StaffRole role)
    {
        var member = State.Add(userId, name, email, role, Now, out var changed);
        if (changed)
        {
            await AuditAsync(AuditActions.MemberAdded, $"{member.Name} <{member.Email}> as {StaffPermissions.Wire(member.Role)}");
            await CommitAsync();
        }
        await GrainFactory.GetGrain<IStaffUserGrain>(userId).SetMembership(CompanyId, member.Role);
        await DeliverAuditAsync();
        return member;
    }

    public async Task<TeamMember> ChangeRole(StaffRole actorRole, Guid userId, StaffRole role)
    {
        var before = State.Members.ToDictionary(m => m.UserId, m => m.Role);
        var changed = State.ChangeRole(actorRole, userId, role);
        foreach (var member in changed)
        {
            var was = before.TryGetValue(member.UserId, out var old) ? StaffPermissions.Wire(old) + " → " : "";
            await AuditAsync(AuditActions.RoleChanged, $"{member.Name} <{member.Email}>: {was}{StaffPermissions.Wire(member.Role)}");
        }
        if (changed.Count > 0)
        {
            await CommitAsync();
        }
        foreach (var member in changed)
        {
            await GrainFactory.GetGrain<IStaffUserGrain>(member.UserId).SetMembership(CompanyId, member.Role);
        }
        await DeliverAuditAsync();
        return State.Members.Single(m => m.UserId == userId);
    }

    public async Task Remove(StaffRole actorRole, Guid userId)
    {
        var leaving = State.Remove(actorRole, userId);
        await AuditAsync(AuditActions.MemberRemoved, $"{leaving.Name} <{leaving.Email}>");
        await CommitAsync();
        await GrainFactory.GetGrain<IStaffUserGrain>(userId).RemoveMembership(CompanyId);
        await DeliverAuditAsync();
    }

    /// <summary>Owes the change's audit entry: call before the commit that stores the change, deliver after it.</summary>
    private Task AuditAsync(string action, string detail) => OweAudit(CompanyId, action, detail);
}

/// <summary>
/// Keyed by the lower-case hex SHA-256 of the link's token. The ticket is stored first; its email follows into the
/// outbox under an id derived from the ticket, so a retried issue finds the first message instead of sending another.
/// </summary>
public sealed class StaffTicketGrain(
    [PersistentState("staffticket", StorageNames.Portal)] IPersistentState<StaffTicketState> state,
    ILogger<StaffTicketGrain> logger)
    : PortalGrain<StaffTicketState>(state, logger), IStaffTicketGrain
{
    public async Task<StaffTicketView> Issue(IssueStaffTicket command)
    {
        if (State.Issue(command, Now))
        {
            await CommitAsync();
        }
        if (State.UsedAt is null)
        {
            await GrainFactory.GetGrain<IMailMessageGrain>(State.MessageId).Enqueue(command.Mail);
        }
        return State.ToView();
    }

    public Task<StaffTicketView> Check(StaffTicketKind kind) => Task.FromResult(State.Check(kind, Now));

    public async Task<StaffTicketView> Use(StaffTicketKind kind)
    {
        var used = State.Use(kind, Now);
        await CommitAsync();
        return used;
    }
}
