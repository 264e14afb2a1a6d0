using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Mail;
using Portal.Silo.Configuration;
using Portal.Silo.Mail;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Hosting;

namespace Portal.Tests.Functional.Mail;

public sealed class SmtpConfigurationTests
{
    private static IReadOnlyList<string> Failures(Action<PortalOptions> configure)
    {
        var options = new PortalOptions();
        configure(options);
        var result = new PortalOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Fact]
    public void The_defaults_are_valid_and_embedded_only_in_embedded_mode_without_a_host()
    {
        Assert.Empty(Failures(_ => { }));
        Assert.True(new SmtpOptions().IsEmbedded(OrleansModes.Embedded));
        Assert.False(new SmtpOptions().IsEmbedded(OrleansModes.Client));
        Assert.False(new SmtpOptions().IsEmbedded(OrleansModes.Silo));
        Assert.False(new SmtpOptions { Host = "mailpit" }.IsEmbedded(OrleansModes.Embedded));
        Assert.Equal(SmtpSecurity.StartTls, new SmtpOptions { Host = "smtp.example.com" }.SecurityMode(embedded: false));
        Assert.Equal(587, new SmtpOptions().HostPort(SmtpSecurity.StartTls));
        Assert.Equal(465, new SmtpOptions().HostPort(SmtpSecurity.Ssl));
    }

    [Theory]
    [InlineData("tls", "Portal:Smtp:Security 'tls' is not supported; use 'none', 'starttls' or 'ssl'.")]
    [InlineData("TLS1.2", "Portal:Smtp:Security 'TLS1.2' is not supported")]
    public void An_unknown_security_mode_is_refused_with_the_choices(string security, string message)
    {
        Assert.Contains(Failures(o => { o.Smtp.Embedded = false; o.Smtp.Host = "smtp.example.com"; o.Smtp.Security = security; }),
            f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Conflicting_or_unsafe_settings_are_refused_with_what_to_change()
    {
        Assert.Contains(Failures(o => { o.Smtp.Embedded = true; o.Smtp.Host = "mailpit"; }), f => f.Contains("set Portal:Smtp:Embedded=false", StringComparison.Ordinal));
        Assert.Contains(Failures(o => { o.Smtp.Security = "starttls"; }), f => f.Contains("embedded SMTP server speaks plain SMTP", StringComparison.Ordinal));
        Assert.Contains(Failures(o => { o.Orleans.Mode = OrleansModes.Client; o.Smtp.Embedded = true; }), f => f.Contains("cannot be true in client mode", StringComparison.Ordinal));
        Assert.Contains(Failures(o => { o.Smtp.Host = "smtp.example.com"; o.Smtp.Security = "none"; o.Smtp.User = "u"; o.Smtp.Password = "p"; }),
            f => f.Contains("Refusing to send Portal:Smtp:Password in clear text to smtp.example.com", StringComparison.Ordinal));
        Assert.Empty(Failures(o => { o.Smtp.Host = "127.0.0.1"; o.Smtp.Security = "none"; o.Smtp.User = "u"; o.Smtp.Password = "p"; }));
        Assert.Contains(Failures(o => { o.Smtp.Host = "smtp.example.com"; o.Smtp.User = "u"; }), f => f.Contains("go together", StringComparison.Ordinal));
        Assert.Contains(Failures(o => o.Smtp.From = "Portal <portal@example.com>"), f => f.StartsWith("Portal:Smtp:From", StringComparison.Ordinal));
        Assert.Contains(Failures(o => { o.Smtp.Host = "smtp.example.com"; o.Smtp.Port = 70000; }), f => f.StartsWith("Portal:Smtp:Port", StringComparison.Ordinal));
        Assert.Contains(Failures(o => o.Smtp.RetryDelay = TimeSpan.Zero), f => f.StartsWith("Portal:Smtp:RetryDelay", StringComparison.Ordinal));
        Assert.Contains(Failures(o => o.Smtp.MaxAttempts = 0), f => f.StartsWith("Portal:Smtp:MaxAttempts", StringComparison.Ordinal));
    }

    [Fact]
    public void The_web_refuses_to_start_with_invalid_smtp_settings_and_says_why()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => PortalWebApp.Build(
            ["--Portal:DataDirectory=" + PortalTestHost.NewDataDirectory(), "--Portal:Smtp:Embedded=false", "--Portal:Smtp:Host=smtp.example.com", "--Portal:Smtp:Security=tls"]));
        Assert.Contains("Portal:Smtp:Security 'tls' is not supported", failure.Message);
    }

    [Theory]
    [InlineData("starttls")]
    [InlineData("ssl")]
    public async Task Asking_for_tls_never_falls_back_to_plain_text(string security)
    {
        await using var server = await TestSmtpServer.StartAsync();
        var options = new SmtpOptions { Embedded = false, Host = "127.0.0.1", Port = server.Port, Security = security, Timeout = TimeSpan.FromSeconds(5) };
        var transport = new MailKitTransport(new SmtpTargetResolver(options, null), NullLogger<MailKitTransport>.Instance);

        var result = await transport.SendAsync(Envelope(), CancellationToken.None);

        Assert.Equal(MailDeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Without_a_configured_server_a_message_waits_instead_of_failing_for_good()
    {
        var transport = new MailKitTransport(new SmtpTargetResolver(new SmtpOptions { Embedded = false }, null), NullLogger<MailKitTransport>.Instance);
        var result = await transport.SendAsync(Envelope(), CancellationToken.None);
        Assert.Equal(MailDeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Contains("Portal:Smtp:Host", result.Detail);
    }

    [Fact]
    public async Task The_transport_sends_html_and_text_with_the_stored_message_id()
    {
        await using var server = await TestSmtpServer.StartAsync();
        var options = new SmtpOptions { Embedded = false, Host = "127.0.0.1", Port = server.Port, Security = "none", From = "portal@example.com" };
        var transport = new MailKitTransport(new SmtpTargetResolver(options, null), NullLogger<MailKitTransport>.Instance);

        var result = await transport.SendAsync(Envelope(), CancellationToken.None);

        Assert.Equal(MailDeliveryOutcome.Accepted, result.Outcome);
        var mail = Assert.Single(server.Received);
        Assert.Equal("0123456789abcdef@example.com", mail.Message.MessageId);
        Assert.Equal("<p>Hello</p>", mail.Html.Trim());
        Assert.Equal("Hello", mail.Text.Trim());
        Assert.Equal("Brightwater", Assert.Single(mail.Message.From.Mailboxes).Name);
    }

    private static MailEnvelope Envelope() =>
        new("0123456789abcdef@example.com", "Brightwater", null, new Portal.MailRecipient("jane@example.com", "Jane"), "Hello", "<p>Hello</p>", "Hello", DateTimeOffset.UtcNow);
}
