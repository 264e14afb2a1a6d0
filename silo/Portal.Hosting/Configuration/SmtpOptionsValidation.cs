using System.Net.Mail;

namespace Portal.Silo.Configuration;

/// <summary>The <c>Portal:Smtp</c> checks of <see cref="PortalOptionsValidator"/>: each failure says what to change.</summary>
public static class SmtpOptionsValidation
{
    public static void Validate(PortalOptions options, List<string> failures)
    {
        var smtp = options.Smtp;
        var embedded = smtp.IsEmbedded(options.Orleans.Mode);
        var hasHost = !string.IsNullOrWhiteSpace(smtp.Host);

        if (smtp.Security is not null && !SmtpSecurities.TryParse(smtp.Security, out _))
        {
            failures.Add($"Portal:Smtp:Security '{smtp.Security}' is not supported; use 'none', 'starttls' or 'ssl'.");
        }
        if (smtp.Port is < 0 or > 65535 || (smtp.Port == 0 && !embedded))
        {
            failures.Add($"Portal:Smtp:Port must be between 1 and 65535 (was {smtp.Port}).");
        }
        if (string.IsNullOrWhiteSpace(smtp.From)
            || smtp.From.Any(char.IsControl)
            || !MailAddress.TryCreate(smtp.From.Trim(), out var from)
            || from.Address != smtp.From.Trim())
        {
            failures.Add($"Portal:Smtp:From '{smtp.From}' is not a bare email address like portal@example.com.");
        }
        if (string.IsNullOrEmpty(smtp.User) != string.IsNullOrEmpty(smtp.Password))
        {
            failures.Add("Portal:Smtp:User and Portal:Smtp:Password go together: set both or neither.");
        }

        if (embedded)
        {
            if (string.Equals(options.Orleans.Mode?.Trim(), OrleansModes.Client, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add("Portal:Smtp:Embedded cannot be true in client mode: the silos deliver mail, so configure Portal:Smtp:Host on them.");
            }
            if (hasHost)
            {
                failures.Add($"Portal:Smtp:Host is '{smtp.Host}' but Portal:Smtp:Embedded is true; set Portal:Smtp:Embedded=false to deliver through that server.");
            }
            if (smtp.Security is not null && smtp.SecurityMode(embedded: true) != SmtpSecurity.None)
            {
                failures.Add("The embedded SMTP server speaks plain SMTP on loopback; leave Portal:Smtp:Security unset (or 'none') while Portal:Smtp:Embedded is true.");
            }
            if (!string.IsNullOrEmpty(smtp.User))
            {
                failures.Add("The embedded SMTP server needs no login; remove Portal:Smtp:User and Portal:Smtp:Password or set Portal:Smtp:Embedded=false.");
            }
        }
        else if (hasHost && !string.IsNullOrEmpty(smtp.Password)
            && smtp.SecurityMode(embedded: false) == SmtpSecurity.None && !SmtpOptions.IsLoopbackHost(smtp.Host))
        {
            failures.Add($"Refusing to send Portal:Smtp:Password in clear text to {smtp.Host}: set Portal:Smtp:Security to 'starttls' or 'ssl'.");
        }

        Positive(failures, "Timeout", smtp.Timeout);
        Positive(failures, "RetryDelay", smtp.RetryDelay);
        Positive(failures, "PendingCheckInterval", smtp.PendingCheckInterval);
        if (smtp.MaxRetryDelay < smtp.RetryDelay)
        {
            failures.Add($"Portal:Smtp:MaxRetryDelay ({smtp.MaxRetryDelay}) must not be shorter than Portal:Smtp:RetryDelay ({smtp.RetryDelay}).");
        }
        if (smtp.MaxAttempts < 1)
        {
            failures.Add($"Portal:Smtp:MaxAttempts must be at least 1 (was {smtp.MaxAttempts}).");
        }
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"Portal:Smtp:{key} must be a positive duration like 00:00:30 (was {value}).");
        }
    }
}
