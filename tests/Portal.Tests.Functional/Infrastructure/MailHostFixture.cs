using System.Net.Http.Json;

namespace Portal.Tests.Functional.Infrastructure;

/// <summary>
/// A portal that delivers to a <see cref="TestSmtpServer"/> (not its embedded one), with retry waits short enough
/// to watch. The company has a logo, footer details and a notification address.
/// </summary>
public sealed class MailHostFixture : IAsyncLifetime
{
    public const string LogoUrl = "https://cdn.brightwater.example/logo.png";
    public const string NotificationEmail = "office@brightwater.example";
    public const string From = "portal@brightwater.example";

    private PortalTestHost? _host;
    private TestSmtpServer? _smtp;

    public PortalTestHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public TestSmtpServer Smtp => _smtp ?? throw new InvalidOperationException("Not started.");

    /// <summary>Settings that send through the test server on <paramref name="port"/>.</summary>
    public static Dictionary<string, string?> SmtpSettings(int port, int maxAttempts = 6) => new()
    {
        ["Portal:Smtp:Embedded"] = "false",
        ["Portal:Smtp:Host"] = "127.0.0.1",
        ["Portal:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:Smtp:Security"] = "none",
        ["Portal:Smtp:From"] = From,
        ["Portal:Smtp:Timeout"] = "00:00:05",
        ["Portal:Smtp:RetryDelay"] = "00:00:00.200",
        ["Portal:Smtp:MaxRetryDelay"] = "00:00:01",
        ["Portal:Smtp:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:Smtp:PendingCheckInterval"] = "00:00:02",
    };

    public static async Task BrandAsync(HttpClient api)
    {
        using var response = await api.PutAsJsonAsync("/api/company", new
        {
            name = "Brightwater Renovations Ltd",
            logoUrl = LogoUrl,
            vatNumber = "GB 123 4567 89",
            companyRegistrationNumber = "09876543",
            email = "hello@brightwater.example",
            notificationEmail = NotificationEmail,
            brandColour = "#0f766e",
        });
        response.EnsureSuccessStatusCode();
    }

    public async Task InitializeAsync()
    {
        _smtp = await TestSmtpServer.StartAsync();
        _host = await PortalTestHost.StartAsync(settings: SmtpSettings(_smtp.Port));
        await BrandAsync(_host.Api);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MailCollection : ICollectionFixture<MailHostFixture>
{
    public const string Name = "email";
}
