using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Mail;
using Portal.Silo.Configuration;
using Portal.Silo.Mail;

namespace Portal.Silo.Hosting;

public static partial class PortalHosting
{
    /// <summary>
    /// Outbound mail on a silo: the MailKit transport the message grains deliver with, their retry pacing, and in
    /// embedded mode (<c>Portal:Smtp:Embedded</c>) the in-process SMTP server with its dev mailbox.
    /// </summary>
    public static ISiloBuilder AddPortalMail(this ISiloBuilder silo, PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var smtp = options.Smtp;

        silo.Services.Configure<MailDeliveryOptions>(delivery =>
        {
            delivery.RetryDelay = smtp.RetryDelay;
            delivery.MaxRetryDelay = smtp.MaxRetryDelay;
            delivery.MaxAttempts = smtp.MaxAttempts;
            delivery.PendingCheckInterval = smtp.PendingCheckInterval;
            delivery.MessageIdDomain = smtp.FromDomain;
        });
        // Each outbox shard's reminder ticks every PendingCheckInterval; Orleans refuses periods under its minimum.
        silo.Configure<ReminderOptions>(reminders =>
        {
            if (reminders.MinimumReminderPeriod > smtp.PendingCheckInterval)
            {
                reminders.MinimumReminderPeriod = smtp.PendingCheckInterval;
            }
        });

        if (smtp.IsEmbedded(options.Orleans.Mode))
        {
            var port = smtp.Port ?? 0;
            silo.Services.AddSingleton(sp => new DevMailbox(
                Path.Combine(options.DataDirectoryFullPath, "mailbox"),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILogger<DevMailbox>>()));
            silo.Services.AddSingleton(sp => new EmbeddedSmtpServer(sp.GetRequiredService<DevMailbox>(), port, sp.GetRequiredService<ILogger<EmbeddedSmtpServer>>()));
            silo.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedSmtpServer>());
        }
        silo.Services.AddSingleton(sp => new SmtpTargetResolver(smtp, sp.GetService<EmbeddedSmtpServer>()));
        silo.Services.AddSingleton<IMailTransport, MailKitTransport>();
        silo.Services.AddHostedService(sp => new MailConfigurationReport(
            sp.GetRequiredService<SmtpTargetResolver>(), sp.GetService<EmbeddedSmtpServer>(), sp.GetRequiredService<ILogger<MailConfigurationReport>>()));
        return silo;
    }
}
