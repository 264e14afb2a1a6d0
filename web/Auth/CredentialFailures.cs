using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Portal.Web.Hosting;

namespace Portal.Web.Auth;

/// <summary>
/// Failed credentials on the API and the hubs (an unknown key, a bad or expired hub token) count per network in the
/// <see cref="FailureLimiter"/>, like failed links and sign-ins. Once a network is over the limit, its refused requests
/// are answered 429 instead of 401, after every scheme had its say: a valid credential from that network still gets in.
/// </summary>
public sealed class CredentialFailures : IAuthorizationMiddlewareResultHandler
{
    private const string ThrottledItem = "portal:credentials-throttled";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <summary>Counts one failed credential for the request's network and marks the request when the network is now blocked.</summary>
    public static void Record(HttpContext context, FailureLimiter failures)
    {
        var network = FailureLimiter.NetworkOf(context.Connection.RemoteIpAddress);
        failures.RecordFailure(network);
        if (failures.IsBlocked(network))
        {
            context.Items[ThrottledItem] = true;
        }
    }

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged && context.Items.ContainsKey(ThrottledItem))
        {
            return RateLimits.TooManyRequestsAsync(context, (int)FailureLimiter.Window.TotalSeconds, context.RequestAborted);
        }
        if (authorizeResult.Forbidden && Api.PortalProblems.WantsProblem(context.Request))
        {
            // Signed in, but the role may not: the API's one refusal shape, with the code the permission table refuses with.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsJsonAsync(
                Api.PortalProblems.Create(StatusCodes.Status403Forbidden, RuleCodes.StaffForbidden, "Your role does not allow this."),
                (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
        }
        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
