namespace Portal.Web.Hosting;

/// <summary>
/// What of a request may reach a log. Portal link tokens travel in the path (<c>/p/{token}</c>) and one-time
/// sign-in tokens in query strings, so logs get the path with any token replaced and never the query string.
/// ASP.NET Core's own request logging (and its request scope, which carries the raw path) is turned off in
/// <see cref="PortalWebApp"/>; <see cref="UseSafeRequestScope"/> gives log lines the request id and safe path
/// instead.
/// </summary>
public static class LogRedaction
{
    public const string Redacted = "[token]";

    /// <summary>The request's path with any credential segment replaced.</summary>
    public static string SafePath(HttpContext http) => SafePath(http.Request.Path);

    public static string SafePath(PathString path)
    {
        var value = path.Value ?? string.Empty;
        // /p/{token} and anything below it.
        if (value.StartsWith("/p/", StringComparison.OrdinalIgnoreCase))
        {
            var rest = value.AsSpan(3);
            var slash = rest.IndexOf('/');
            return "/p/" + Redacted + (slash < 0 ? string.Empty : rest[slash..].ToString());
        }
        // One-time staff links: /staff/invite/{token}, /staff/reset-password/{token}.
        foreach (var prefix in OneTimeLinkPrefixes)
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && value.Length > prefix.Length)
            {
                return prefix + Redacted;
            }
        }
        return value;
    }

    private static readonly string[] OneTimeLinkPrefixes = ["/staff/invite/", "/staff/reset-password/"];

    /// <summary>A logging scope per request with what the framework's request scope had, minus the raw path.</summary>
    public static IApplicationBuilder UseSafeRequestScope(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Web.Request");
        return app.Use(async (context, next) =>
        {
            using (logger.BeginScope(new Dictionary<string, object>
            {
                ["RequestId"] = context.TraceIdentifier,
                ["RequestPath"] = SafePath(context),
            }))
            {
                await next(context);
            }
        });
    }
}
