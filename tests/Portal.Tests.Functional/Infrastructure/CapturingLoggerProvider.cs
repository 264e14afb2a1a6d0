using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>
/// Keeps every log line the app writes (message, structured values, every enclosing scope and the exception), to
/// prove secrets never reach logs, whichever provider or formatter an operator chooses.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines, () => _scopes);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines, Func<IExternalScopeProvider> scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => scopes().Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            var scope = new System.Text.StringBuilder();
            scopes().ForEachScope((value, text) => text.Append(" scope=").Append(Describe(value)), scope);
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured}{scope} {exception}");
        }

        private static string Describe(object? value) =>
            value is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}"))
            : value is IEnumerable<KeyValuePair<string, object>> plain ? string.Join(";", plain.Select(p => $"{p.Key}={p.Value}"))
            : value?.ToString() ?? string.Empty;
    }
}
