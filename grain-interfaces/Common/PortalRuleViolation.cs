namespace Portal;

/// <summary>How the HTTP layer should answer a refused request.</summary>
public enum RuleKind
{
    /// <summary>The transition is not allowed in the current state (HTTP 409).</summary>
    Conflict = 0,
    /// <summary>The thing does not exist, or the caller may not know it exists (HTTP 404).</summary>
    NotFound = 1,
    /// <summary>The input is invalid (HTTP 400).</summary>
    Invalid = 2,
    /// <summary>The thing existed but is gone for good, e.g. an expired or revoked link (HTTP 410).</summary>
    Gone = 3,
    /// <summary>The caller's role may not do this (HTTP 403).</summary>
    Forbidden = 4,
}

/// <summary>
/// The one exception a grain throws when it refuses a command. <see cref="Code"/> is stable and
/// machine-readable (e.g. <c>proposal.expired</c>); the message is for people.
/// </summary>
[GenerateSerializer]
public sealed class PortalRuleViolation : Exception
{
    public PortalRuleViolation(string code, string message, RuleKind kind = RuleKind.Conflict)
        : base(message)
    {
        Code = code;
        Kind = kind;
    }

    [Id(0)] public string Code { get; }
    [Id(1)] public RuleKind Kind { get; }

    public static PortalRuleViolation NotFound(string code, string message) => new(code, message, RuleKind.NotFound);
    public static PortalRuleViolation Invalid(string code, string message) => new(code, message, RuleKind.Invalid);
    public static PortalRuleViolation Gone(string code, string message) => new(code, message, RuleKind.Gone);
    public static PortalRuleViolation Forbidden(string message) => new(RuleCodes.StaffForbidden, message, RuleKind.Forbidden);
}
