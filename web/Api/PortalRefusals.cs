using Microsoft.AspNetCore.Antiforgery;

namespace Portal.Web.Api;

/// <summary>
/// The one endpoint filter of the portal's actions (forms and the cookie calls scripts make). The antiforgery
/// middleware checks every such request one way; this filter answers a failed check, or a refusal the action throws,
/// as the request asks: problem details for a script, a redirect back to the page with the refusal's code for a plain
/// form post (the page says what happened), or the bare status (the friendly error page) for not-found and
/// antiforgery failures, which have no page to go back to.
/// </summary>
public sealed class PortalRefusals(Func<HttpContext, PortalRuleViolation, string> pageFor) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
        {
            return Refuse(http, PortalRuleViolation.Invalid(RuleCodes.RequestAntiforgery, PortalExceptionHandler.ReloadMessage));
        }
        try
        {
            return await next(context);
        }
        catch (PortalRuleViolation rule)
        {
            return Refuse(http, rule);
        }
    }

    private IResult Refuse(HttpContext http, PortalRuleViolation rule)
    {
        if (PortalProblems.WantsProblem(http.Request))
        {
            return PortalProblems.Result(rule);
        }
        if (rule.Kind is RuleKind.NotFound or RuleKind.Gone || rule.Code == RuleCodes.RequestAntiforgery)
        {
            return Results.StatusCode(PortalProblems.StatusFor(rule.Kind));
        }
        return new SeeOther(pageFor(http, rule));
    }

    /// <summary>303 See Other: after a form post the browser fetches the page with GET.</summary>
    public sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}

public static class PortalRefusalsExtensions
{
    /// <summary>
    /// Portal actions: the antiforgery token is required (header or form field) and refusals are answered by
    /// <see cref="PortalRefusals"/>; <paramref name="pageFor"/> names the page a plain form post returns to.
    /// </summary>
    public static TBuilder RefusedLikeThePortal<TBuilder>(this TBuilder builder, Func<HttpContext, PortalRuleViolation, string> pageFor)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new RequireAntiforgeryTokenAttribute());
        builder.AddEndpointFilter(new PortalRefusals(pageFor));
        return builder;
    }
}
