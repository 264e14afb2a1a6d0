using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Web.Api;

/// <summary>
/// Turns a refused command into RFC 9457 problem details: the rule's code travels in the <c>code</c> extension
/// so callers can act on it; malformed input becomes a 400. Anything else is a 500 and is logged.
/// </summary>
public sealed class PortalExceptionHandler(IProblemDetailsService problems, ILogger<PortalExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            PortalRuleViolation rule => FromRule(rule),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request could not be read.",
                Detail = DescribeBadRequest(bad),
                Extensions = { ["code"] = "request.malformed" },
            },
            JsonException json => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is not valid JSON for this endpoint.",
                Detail = json.Message,
                Extensions = { ["code"] = "request.malformed" },
            },
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            return false;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    public static ProblemDetails FromRule(PortalRuleViolation rule) => new()
    {
        Status = StatusFor(rule.Kind),
        Title = TitleFor(rule.Kind),
        Detail = rule.Message,
        Type = $"https://portal.invalid/problems/{rule.Code}",
        Extensions = { ["code"] = rule.Code },
    };

    public static int StatusFor(RuleKind kind) => kind switch
    {
        RuleKind.NotFound => StatusCodes.Status404NotFound,
        RuleKind.Invalid => StatusCodes.Status400BadRequest,
        RuleKind.Gone => StatusCodes.Status410Gone,
        _ => StatusCodes.Status409Conflict,
    };

    private static string TitleFor(RuleKind kind) => kind switch
    {
        RuleKind.NotFound => "Not found.",
        RuleKind.Invalid => "The request is not valid.",
        RuleKind.Gone => "No longer available.",
        _ => "The request conflicts with the current state.",
    };

    private static string DescribeBadRequest(BadHttpRequestException bad) =>
        bad.InnerException is JsonException json ? json.Message : bad.Message;
}
