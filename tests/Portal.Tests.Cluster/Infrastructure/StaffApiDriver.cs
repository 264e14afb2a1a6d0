using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Portal.Tests.Cluster.Infrastructure;

/// <summary>
/// Drives the staff API the way a careful caller would while a silo may be dying: a 5xx, a refused connection or a
/// timeout is transient, and the command is retried (with the same payment id where the API offers one) until it
/// is acknowledged. Where a retry cannot be made safe, the caller says how to read whether the earlier attempt
/// already applied. Any other answer is a failure of the test.
/// </summary>
public sealed class StaffApiDriver(HttpClient api)
{
    private static readonly TimeSpan OperationDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private int _transientFailures;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _transientReasons = new();

    /// <summary>How many attempts failed transiently (and were retried) so far.</summary>
    public int TransientFailures => Volatile.Read(ref _transientFailures);

    public IReadOnlyCollection<string> TransientReasons => _transientReasons;

    /// <summary>
    /// Sends the command until it is answered with <paramref name="expected"/>. After a transient failure (or a 409
    /// that may come from the earlier attempt having applied), <paramref name="applied"/> is asked first; when it
    /// says the command took effect, the result is null and the command counts as applied.
    /// </summary>
    public async Task<JsonNode?> CommandAsync(string what, string path, object? body, HttpStatusCode expected, Func<Task<bool>>? applied = null)
    {
        var deadline = DateTime.UtcNow + OperationDeadline;
        var failedBefore = false;
        while (true)
        {
            var (status, text) = await TrySendAsync(HttpMethod.Post, path, body);
            if (status == expected)
            {
                return JsonNode.Parse(text);
            }

            var transient = status is null || (int)status >= 500;
            var maybeOurOwnEarlierAttempt = failedBefore && status == HttpStatusCode.Conflict && applied is not null;
            if (!transient && !maybeOurOwnEarlierAttempt)
            {
                throw new InvalidOperationException($"{what}: POST {path} answered {(int?)status} {text}");
            }

            if (transient)
            {
                Interlocked.Increment(ref _transientFailures);
                _transientReasons.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what}: {(status is null ? text : $"{(int)status} {Shorten(text)}")}");
            }

            failedBefore = true;
            if (applied is not null && await applied())
            {
                return null;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: POST {path} was not acknowledged within {OperationDeadline} (last: {(int?)status} {text})");
            }

            await Task.Delay(RetryDelay);
        }
    }

    /// <summary>GET, retried while transient; anything but 200 then fails.</summary>
    public async Task<JsonNode> GetAsync(string path)
    {
        var deadline = DateTime.UtcNow + OperationDeadline;
        while (true)
        {
            var (status, text) = await TrySendAsync(HttpMethod.Get, path, null);
            if (status == HttpStatusCode.OK)
            {
                return JsonNode.Parse(text)!;
            }

            if (status is not null && (int)status < 500)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)status} {text}");
            }

            Interlocked.Increment(ref _transientFailures);
            _transientReasons.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} GET {path}: {(status is null ? text : $"{(int)status} {Shorten(text)}")}");
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"GET {path} did not answer 200 within {OperationDeadline} (last: {(int?)status} {text})");
            }

            await Task.Delay(RetryDelay);
        }
    }

    private async Task<(HttpStatusCode? Status, string Text)> TrySendAsync(HttpMethod method, string path, object? body)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            using var response = await api.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException exception)
        {
            return (null, $"{exception.GetType().Name}: {exception.Message}");
        }
        catch (TaskCanceledException exception)
        {
            // HttpClient.Timeout: the server may still finish the command; the caller's retry rules cover that.
            return (null, $"timeout: {exception.Message}");
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300];
}
