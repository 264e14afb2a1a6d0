using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Silo.Storage;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>What a deployment outside Development exposes: readiness without internals, HSTS, Secure cookies, no secrets.</summary>
[Trait("Category", "Security")]
public sealed class DeploymentSecurityTests
{
    [Fact]
    public async Task Readiness_says_what_is_not_ready_without_exception_text_or_connection_details()
    {
        var probe = new SwitchableProbe();
        await using var host = await PortalTestHost.StartAsync(configure: b => b.Services.AddSingleton<IDatabaseProbe>(probe));
        using var client = host.CreateClient();
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        probe.Failure = new InvalidOperationException("Host=db.internal;Username=portal;Password=hunter2 refused the connection");
        using var notReady = await client.GetAsync("/health/ready");
        var body = await notReady.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("not_ready", body);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("db.internal", body);
        Assert.DoesNotContain("Exception", body);
    }

    [Fact]
    public async Task Outside_development_cookies_are_secure_and_https_answers_carry_hsts()
    {
        await using var host = await PortalTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Portal:SecureCookies"] = null, // the default outside Development
            ["Portal:ForwardedHeaders:KnownProxies"] = "127.0.0.1",
        });
        var clientId = await host.Api.CreateClientAsync("Jane Smith");
        var (projectId, _) = await host.Api.CreateProjectAsync(clientId);
        var (quoteId, _) = await host.Api.CreateQuoteAsync(projectId);
        var url = new Uri((await host.Api.SendAsync("proposals", quoteId)).Str("portalUrl"));

        using var http = host.CreateClient(followRedirects: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, url.PathAndQuery);
        request.Headers.Host = "portal.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var entered = await http.SendAsync(request);

        Assert.True(entered.Headers.TryGetValues("Set-Cookie", out var cookies), "no session cookie was issued");
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        var hsts = Assert.Single(entered.Headers.GetValues("Strict-Transport-Security"));
        Assert.Contains("max-age=31536000", hsts);

        // Plain HTTP gets no HSTS (it would be ignored, and must not be sent).
        using var plain = await http.GetAsync("/health/live");
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Requests_through_a_proxy_portal_was_not_told_about_are_warned_about_once()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await PortalTestHost.StartAsync(configure: b => b.Logging.AddProvider(logs));
        using var http = host.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var warnings = logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Portal:ForwardedHeaders is not set", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        logs.Dispose();
    }

    [Fact]
    public async Task Outside_embedded_development_no_key_or_password_is_generated_and_none_is_printed()
    {
        await using var host = await PortalTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Portal:Bootstrap:ApiKey"] = null,
            ["Portal:Bootstrap:AdminPassword"] = null,
            ["Portal:Bootstrap:Demo"] = "true",
        });
        var installation = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IStaffDirectoryGrain>(Guid.Empty).Get();
        Assert.False(installation.HasApiKey);
        Assert.False(installation.HasAdmin);
        using var anonymous = host.CreateClient();
        using var refused = await anonymous.GetAsync("/api/company");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public void Compose_publishes_only_the_web_and_the_mail_ui_and_keeps_silos_on_an_internal_network()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "docker-compose.yml")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("docker-compose.yml not found above the test output.");
        }
        var lines = File.ReadAllLines(Path.Combine(root, "docker-compose.yml"));

        // Top-level services are indented by two spaces; their keys by four.
        Dictionary<string, List<string>> services = [];
        List<string>? current = null;
        var inServices = false;
        foreach (var line in lines)
        {
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                inServices = line.StartsWith("services:", StringComparison.Ordinal);
                current = null;
                continue;
            }
            if (inServices && line.Length > 2 && line[..2] == "  " && line[2] != ' ' && line[2] != '#' && line.TrimEnd().EndsWith(':'))
            {
                services[line.Trim().TrimEnd(':')] = current = [];
                continue;
            }
            current?.Add(line);
        }

        var published = services.Where(s => s.Value.Any(l => l.StartsWith("    ports:", StringComparison.Ordinal))).Select(s => s.Key).Order().ToList();
        Assert.Equal(["mailpit", "web"], published);
        foreach (var name in new[] { "postgres", "migrate", "silo" })
        {
            Assert.Contains(services[name], l => l.Trim() == "networks: [backend]" || l.Trim().StartsWith("networks: [backend]", StringComparison.Ordinal));
        }
        var text = string.Join('\n', lines);
        Assert.Matches(@"\n  backend:\n    internal: true", text);
    }

    private sealed class SwitchableProbe : IDatabaseProbe
    {
        public Exception? Failure { get; set; }

        public Task<bool> PingAsync(CancellationToken cancellationToken) =>
            Failure is { } failure ? Task.FromException<bool>(failure) : Task.FromResult(true);
    }
}
