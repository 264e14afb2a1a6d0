using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Web.Api;

/// <summary>
/// Turns input the framework could not read into a <c>request.malformed</c> problem that names the field and what it
/// wants ("paymentId must be a UUID"), in <c>errors</c> by field like a validation problem. The framework's own
/// messages name CLR types ("could not be converted to Portal.Web.Api.RecordPaymentRequest"); none of that reaches
/// the caller: the field is found from the JSON path and the request's body type, and anything not understood is
/// answered in general words.
/// </summary>
public static partial class MalformedRequests
{
    private const string Unreadable = "The request could not be read.";
    private const string BodyMissing = "The request body is missing; send a JSON object.";

    public static ProblemDetails Describe(HttpContext context, Exception exception, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var status = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
        var json = exception as JsonException ?? exception.InnerException as JsonException;
        var (field, detail) = json is not null
            ? DescribeJson(json, BodyType(context), options)
            : exception is BadHttpRequestException request ? DescribeBinding(request) : (null, Unreadable);
        if (MentionsType().IsMatch(detail))
        {
            detail = Unreadable;
        }
        var errors = field is null ? null : new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [detail] };
        return PortalProblems.Create(status, RuleCodes.RequestMalformed, detail, errors);
    }

    /// <summary>The type the endpoint reads its JSON body as (the exception handler has cleared the request's endpoint).</summary>
    private static Type? BodyType(HttpContext context) =>
        (context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint())?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;

    private static (string? Field, string Detail) DescribeJson(JsonException json, Type? bodyType, JsonSerializerOptions options)
    {
        // The reader's syntax errors are a subclass; a value of the wrong type is a JsonException itself.
        if (json.GetType() != typeof(JsonException))
        {
            return (null, json.LineNumber is { } line && json.BytePositionInLine is { } position
                ? string.Create(CultureInfo.InvariantCulture, $"The request body is not valid JSON (line {line + 1}, position {position + 1}).")
                : "The request body is not valid JSON.");
        }
        var segments = Segments(json.Path);
        if (segments is null)
        {
            return (null, "The request body is not valid JSON.");
        }
        var (field, type) = Resolve(segments, bodyType, options);
        if (field.Length == 0)
        {
            return (null, type is null || IsObject(type) ? "The request body must be a JSON object." : $"The request body must be {Wants(type, options)}.");
        }
        return (field, type is null ? $"{field} has a value of the wrong kind." : $"{field} must be {Wants(type, options)}.");
    }

    private static (string? Field, string Detail) DescribeBinding(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, "The request body is too large.");
        }
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return (null, "Send the request body as JSON (Content-Type: application/json).");
        }
        if (bad.Message.StartsWith("Implicit body", StringComparison.Ordinal))
        {
            return (null, BodyMissing);
        }
        var parameter = Parameter().Match(bad.Message);
        if (!parameter.Success)
        {
            return (null, Unreadable);
        }
        var name = parameter.Groups["name"].Value;
        var source = parameter.Groups["source"].Value;
        if (bad.Message.StartsWith("Required parameter", StringComparison.Ordinal))
        {
            return source == "body" ? (null, BodyMissing) : (name, $"{name} is required.");
        }
        if (bad.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal))
        {
            return (name, $"{name} must be {WantsTypeNamed(parameter.Groups["type"].Value)}.");
        }
        return (null, Unreadable);
    }

    /// <summary>The JSON path ("$.lines[0].quantity") as property names and indexes; null when it cannot be read.</summary>
    private static List<object>? Segments(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$')
        {
            return null;
        }
        var segments = new List<object>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }
                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i + 1);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    return null;
                }
                segments.Add(index);
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return segments;
    }

    /// <summary>The field as the API spells it (<c>lines[0].quantity</c>) and the type the body declares there, if known.</summary>
    private static (string Field, Type? Type) Resolve(List<object> segments, Type? bodyType, JsonSerializerOptions options)
    {
        var field = new StringBuilder();
        var type = bodyType;
        foreach (var segment in segments)
        {
            var info = type is null ? null : TypeInfo(type, options);
            if (segment is int index)
            {
                field.Append(CultureInfo.InvariantCulture, $"[{index}]");
                type = info?.Kind == JsonTypeInfoKind.Enumerable ? info.ElementType : null;
                continue;
            }
            var name = (string)segment;
            var property = info?.Kind == JsonTypeInfoKind.Object
                ? info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                : null;
            if (field.Length > 0)
            {
                field.Append('.');
            }
            field.Append(property?.Name ?? name);
            type = property?.PropertyType ?? (info?.Kind == JsonTypeInfoKind.Dictionary ? info.ElementType : null);
        }
        return (field.ToString(), type);
    }

    private static JsonTypeInfo? TypeInfo(Type type, JsonSerializerOptions options)
    {
        try
        {
            return options.GetTypeInfo(type);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>What a value of this type looks like, in the words of the API (never the type's name).</summary>
    private static string Wants(Type type, JsonSerializerOptions options)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain.IsEnum)
        {
            var values = Enum.GetValues(plain).Cast<object>().Select(v => JsonSerializer.Serialize(v, plain, options));
            return "one of " + string.Join(", ", values);
        }
        if (plain == typeof(Guid))
        {
            return "a UUID, like 3fa85f64-5717-4562-b3fc-2c963f66afa6";
        }
        if (plain == typeof(DateOnly))
        {
            return "a date as yyyy-MM-dd, like 2026-12-31";
        }
        if (plain == typeof(DateTimeOffset) || plain == typeof(DateTime))
        {
            return "a date and time in ISO 8601, like 2026-12-31T09:30:00Z";
        }
        if (plain == typeof(TimeOnly))
        {
            return "a time as HH:mm, like 09:30";
        }
        if (plain == typeof(bool))
        {
            return "true or false";
        }
        if (plain == typeof(string))
        {
            return "text";
        }
        if (plain == typeof(decimal) || plain == typeof(double) || plain == typeof(float))
        {
            return "a number";
        }
        if (plain.IsPrimitive)
        {
            return "a whole number";
        }
        if (typeof(IEnumerable).IsAssignableFrom(plain))
        {
            return "a list";
        }
        return "an object";
    }

    private static bool IsObject(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        return !plain.IsPrimitive && !plain.IsEnum && plain != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(plain)
            && plain.Namespace?.StartsWith("System", StringComparison.Ordinal) != true;
    }

    /// <summary>The same words for a route or query value, from the type as the framework's message spells it.</summary>
    private static string WantsTypeNamed(string typeName)
    {
        var name = typeName.Replace("?", string.Empty, StringComparison.Ordinal);
        return name switch
        {
            _ when name.Contains("Guid", StringComparison.Ordinal) => "a UUID, like 3fa85f64-5717-4562-b3fc-2c963f66afa6",
            _ when name.Contains("DateOnly", StringComparison.Ordinal) => "a date as yyyy-MM-dd, like 2026-12-31",
            _ when name.Contains("DateTime", StringComparison.Ordinal) => "a date and time in ISO 8601, like 2026-12-31T09:30:00Z",
            _ when name.Contains("bool", StringComparison.OrdinalIgnoreCase) => "true or false",
            _ when name.Contains("decimal", StringComparison.OrdinalIgnoreCase) || name.Contains("double", StringComparison.OrdinalIgnoreCase) => "a number",
            _ when name.Contains("int", StringComparison.OrdinalIgnoreCase) || name.Contains("long", StringComparison.OrdinalIgnoreCase) => "a whole number",
            _ => "a valid value",
        };
    }

    /// <summary>The framework's parameter messages: <c>Failed to bind parameter "Guid id" from "x".</c>, <c>... from body.</c></summary>
    [GeneratedRegex("parameter \"(?<type>[^\"]+) (?<name>[A-Za-z_][A-Za-z0-9_]*)\" (?:was not provided )?from (?:\"[^\"]*\"|(?<source>[a-z]+))")]
    private static partial Regex Parameter();

    /// <summary>A namespace-qualified type name, which no caller should ever read.</summary>
    [GeneratedRegex(@"\b(?:Portal|System|Microsoft)\.[A-Z]")]
    private static partial Regex MentionsType();
}
