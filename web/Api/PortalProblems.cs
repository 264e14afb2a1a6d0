using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Web.Api;

/// <summary>
/// The one problem-details shape every refusal is answered with (RFC 9457): <c>type</c>, <c>title</c>, <c>status</c>,
/// <c>code</c> (from <see cref="RuleCodes"/>), <c>detail</c> and, for field validation, <c>errors</c>.
/// </summary>
public static class PortalProblems
{
    public const string TypePrefix = "https://portal.invalid/problems/";

    public static ProblemDetails Create(int status, string code, string? detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors);
        problem.Type = TypePrefix + code;
        problem.Title = TitleFor(status);
        problem.Status = status;
        problem.Detail = detail;
        problem.Extensions["code"] = code;
        return problem;
    }

    public static ProblemDetails FromRule(PortalRuleViolation rule) => Create(StatusFor(rule.Kind), rule.Code, rule.Message);

    public static IResult Result(int status, string code, string? detail) => TypedResults.Problem(Create(status, code, detail));

    public static IResult Result(PortalRuleViolation rule) => TypedResults.Problem(FromRule(rule));

    public static int StatusFor(RuleKind kind) => kind switch
    {
        RuleKind.NotFound => StatusCodes.Status404NotFound,
        RuleKind.Invalid => StatusCodes.Status400BadRequest,
        RuleKind.Gone => StatusCodes.Status410Gone,
        RuleKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status409Conflict,
    };

    public static string TitleFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status409Conflict => "The request conflicts with the current state.",
        StatusCodes.Status410Gone => "No longer available.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };

    /// <summary>
    /// Whether the caller reads problem details: the staff API always does; a page's script says so with
    /// <c>Accept: application/json</c>. A plain form post from a page gets a page instead.
    /// </summary>
    public static bool WantsProblem(HttpRequest request) =>
        request.Path.StartsWithSegments("/api")
        || request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || a.MediaType.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase));
}
