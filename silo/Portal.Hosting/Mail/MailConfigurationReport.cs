using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portal.Silo.Mail;

/// <summary>Says at start-up where this silo delivers mail, and warns when it cannot.</summary>
public sealed class MailConfigurationReport(SmtpTargetResolver targets, EmbeddedSmtpServer? embedded, ILogger<MailConfigurationReport> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (embedded is not null)
        {
            // Reported by the server itself once it listens.
            return;
        }
        if (targets.IsConfigured)
        {
            logger.LogInformation("Outbound mail goes to {Target}", targets.Describe());
        }
        else
        {
            logger.LogWarning("Outbound mail is not configured: messages stay queued until Portal:Smtp:Host is set on the silos.");
        }
        await Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
