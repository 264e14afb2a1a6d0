using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>Reading the outbox through the staff API.</summary>
public static class MailApi
{
    public static async Task<JsonArray> MessagesAsync(this HttpClient api, Guid projectId) =>
        (await api.GetOkAsync($"/api/projects/{projectId}/messages")).AsArray();

    /// <summary>Polls the project's messages until one has <paramref name="status"/>; returns it.</summary>
    public static async Task<JsonNode> WaitForMessageStatusAsync(this HttpClient api, Guid projectId, Guid messageId, string status, TimeSpan? timeout = null)
    {
        var message = await Eventually.ValueAsync(
            async () => (await api.MessagesAsync(projectId)).FirstOrDefault(m => m!.Id() == messageId),
            m => m?.Str("status") == status,
            $"message {messageId} to become {status}",
            timeout,
            m => m?.ToJsonString() ?? "not listed");
        return message!;
    }

    /// <summary>
    /// Waits until the message's outbox shard no longer lists it: the message is finished (sent or failed) and
    /// nothing will attempt it again.
    /// </summary>
    public static Task UntilLeftTheOutboxAsync(PortalTestHost host, Guid messageId)
    {
        var shard = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IMailOutboxGrain>(IMailOutboxGrain.ShardOf(messageId));
        return Eventually.UntilAsync(async () => !(await shard.Pending()).Contains(messageId), $"message {messageId} to leave the outbox");
    }

    public static string UniqueEmail(string name = "jane") => $"{name}.{Guid.NewGuid():N}@example.com";
}
