using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional.Mail;

public sealed class MailRestartTests
{
    [Fact]
    public async Task A_message_queued_while_the_smtp_server_is_down_is_delivered_once_after_a_restart()
    {
        // Take a port for the server, then stop it: the portal finds nobody listening there.
        await using var smtp = await TestSmtpServer.StartAsync();
        await smtp.StopAsync();
        var dataDirectory = PortalTestHost.NewDataDirectory();
        var settings = MailHostFixture.SmtpSettings(smtp.Port, maxAttempts: 100);
        var email = MailApi.UniqueEmail();
        Guid projectId, messageId;

        await using (var first = await PortalTestHost.StartAsync(dataDirectory, settings))
        {
            var clientId = await first.Api.CreateClientAsync("Jane Smith", email);
            (projectId, _) = await first.Api.CreateProjectAsync(clientId);
            var (quoteId, _) = await first.Api.CreateQuoteAsync(projectId);
            messageId = Guid.Parse((await first.Api.SendAsync("proposals", quoteId)).Str("messageId"));

            // Stored and tried at least once: waiting for the next attempt, with the connection failure recorded.
            var message = await Eventually.ValueAsync(
                async () => (await first.Api.MessagesAsync(projectId)).SingleOrDefault(),
                m => !string.IsNullOrEmpty(m?["lastError"]?.GetValue<string>()),
                "the first failed attempt to be recorded",
                show: m => m?.ToJsonString() ?? "not listed");
            Assert.NotEqual("sent", message!.Str("status"));
            Assert.NotEqual("failed", message!.Str("status"));
        }

        await smtp.RestartAsync();
        await using var second = await PortalTestHost.StartAsync(dataDirectory, settings);

        // Nobody asks for the message: the durable reminder brings it back and it goes out.
        var received = await smtp.WaitForAsync(email, TimeSpan.FromSeconds(30));
        var sent = await second.Api.WaitForMessageStatusAsync(projectId, messageId, "sent");
        Assert.Equal(sent.Str("messageId"), received.Message.MessageId);

        // A later email to the same address: once it has arrived, a second copy of the first (retried by the old
        // activation's timer or the reminder) would have arrived too.
        var (laterQuoteId, _) = await second.Api.CreateQuoteAsync(projectId);
        var laterId = Guid.Parse((await second.Api.SendAsync("proposals", laterQuoteId)).Str("messageId"));
        var later = await second.Api.WaitForMessageStatusAsync(projectId, laterId, "sent");
        await smtp.WaitForAsync(email, match: m => m.Message.MessageId == later.Str("messageId"));
        Assert.Equal(2, smtp.ReceivedFor(email).Count);
        Assert.Single(smtp.ReceivedFor(email), m => m.Message.MessageId == received.Message.MessageId);
    }
}
