using System.Text.Json;

namespace Portal.Tests;

public static class Refuse
{
    /// <summary>Asserts the action is refused with this code and kind, and returns the violation.</summary>
    public static PortalRuleViolation With(string code, RuleKind kind, Action action)
    {
        var violation = Assert.Throws<PortalRuleViolation>(action);
        Assert.Equal(code, violation.Code);
        Assert.Equal(kind, violation.Kind);
        return violation;
    }

    /// <summary>Asserts the refusal and that the state is exactly as before (nothing half-applied).</summary>
    public static PortalRuleViolation Unchanged<TState>(TState state, string code, RuleKind kind, Action action)
    {
        var before = JsonSerializer.Serialize(state, StateJson.Options);
        var violation = With(code, kind, action);
        Assert.Equal(before, JsonSerializer.Serialize(state, StateJson.Options));
        return violation;
    }

    public static async Task<PortalRuleViolation> WithAsync(string code, RuleKind kind, Func<Task> action)
    {
        var violation = await Assert.ThrowsAsync<PortalRuleViolation>(action);
        Assert.Equal(code, violation.Code);
        Assert.Equal(kind, violation.Kind);
        return violation;
    }
}
