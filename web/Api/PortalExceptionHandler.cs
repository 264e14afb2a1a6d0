using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Portal.Web.Api;

/// <summary>
/// The one place a refusal becomes a response. A <see cref="PortalRuleViolation"/> keeps its code; unreadable input is
/// <c>request.malformed</c> naming the field and what it wants (<see cref="MalformedRequests"/>); a form whose
/// antiforgery token the middleware rejected is <c>request.antiforgery</c>.
/// Callers that read problem details get one (<see cref="PortalProblems"/>); a page's plain form post gets only the
/// status, which the status-code pages turn into the friendly error page. Anything else is a 500 and is logged.
/// </summary>
public sealed class PortalExceptionHandler(
    IProblemDetailsService problems, IOptions<JsonOptions> json, ILogger<PortalExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>What a person reads when the page's antiforgery token no longer matches.</summary>
    public const string ReloadMessage = "This page has been open for a long time. Reload it and try again.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            PortalRuleViolation rule => PortalProblems.FromRule(rule),
            BadHttpRequestException { InnerException: AntiforgeryValidationException } or AntiforgeryValidationException =>
                PortalProblems.Create(StatusCodes.Status400BadRequest, RuleCodes.RequestAntiforgery, ReloadMessage),
            BadHttpRequestException or JsonException => MalformedRequests.Describe(httpContext, exception, json.Value.SerializerOptions),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, Hosting.LogRedaction.SafePath(httpContext));
            return false;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        if (!PortalProblems.WantsProblem(httpContext.Request))
        {
            return true;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }
}
