using System.Text.Json.Nodes;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>Reading the outbox through the staff API.</summary>
public static class MailApi
{
    public static async Task<JsonArray> MessagesAsync(this HttpClient api, Guid projectId) =>
        (await api.GetOkAsync($"/api/projects/{projectId}/messages")).AsArray();

    /// <summary>Polls the project's messages until one has <paramref name="status"/>; returns it.</summary>
    public static async Task<JsonNode> WaitForMessageStatusAsync(this HttpClient api, Guid projectId, Guid messageId, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = (await api.MessagesAsync(projectId)).FirstOrDefault(m => m!.Id() == messageId);
            if (last?.Str("status") == status)
            {
                return last;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Message {messageId} did not become {status}; last seen: {last?.ToJsonString() ?? "not listed"}");
    }

    public static string UniqueEmail(string name = "jane") => $"{name}.{Guid.NewGuid():N}@example.com";
}
