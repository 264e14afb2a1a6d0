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
            var deadline = DateTime.UtcNow.AddSeconds(20);
            var message = (await first.Api.MessagesAsync(projectId)).SingleOrDefault();
            while ((message is null || string.IsNullOrEmpty(message["lastError"]?.GetValue<string>())) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
                message = (await first.Api.MessagesAsync(projectId)).SingleOrDefault();
            }
            Assert.NotNull(message);
            Assert.NotEqual("sent", message.Str("status"));
            Assert.NotEqual("failed", message.Str("status"));
            Assert.False(string.IsNullOrEmpty(message["lastError"]?.GetValue<string>()), message.ToJsonString());
        }

        await smtp.RestartAsync();
        await using var second = await PortalTestHost.StartAsync(dataDirectory, settings);

        // Nobody asks for the message: the durable reminder brings it back and it goes out.
        var received = await smtp.WaitForAsync(email, TimeSpan.FromSeconds(30));
        var sent = await second.Api.WaitForMessageStatusAsync(projectId, messageId, "sent");
        Assert.Equal(sent.Str("messageId"), received.Message.MessageId);
        await Task.Delay(1000);
        Assert.Single(smtp.ReceivedFor(email));
    }
}
