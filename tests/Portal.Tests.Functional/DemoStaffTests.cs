using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Functional.Infrastructure;
using Portal.Web.Bootstrap;

namespace Portal.Tests.Functional;

/// <summary>
/// The demo seeds, besides its owner (the bootstrap admin), an admin and a member account whose generated passwords the
/// banner shows once, only in embedded Development mode; a configured admin email and password keep working.
/// </summary>
[Trait("Category", "Security")]
public sealed partial class DemoStaffTests
{
    private static readonly Lock ConsoleGate = new();

    [Fact]
    public async Task In_development_the_demo_seeds_an_admin_and_a_member_whose_passwords_are_shown_once()
    {
        var dataDirectory = PortalTestHost.NewDataDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["environment"] = "Development",
            ["Portal:Bootstrap:AdminEmail"] = "boss@brightwater.example",
        };
        string banner;
        Guid companyId;
        await using (var host = await StartCapturingAsync(dataDirectory, settings, out var output))
        {
            banner = output.ToString();
            companyId = (await host.Api.GetOkAsync("/api/company")).Id();
            foreach (var (name, email, role) in DemoStaff.People)
            {
                var password = Assert.Single(DemoLine().Matches(banner), m => m.Groups["email"].Value == email).Groups["password"].Value;
                Assert.Contains($"Demo {StaffPermissions.Wire(role)}", banner, StringComparison.Ordinal);
                using var browser = await StaffSessionEndTests.SignInAsync(host, email, password);
                Assert.Equal(companyId, (await browser.Http.GetOkAsync("/api/company")).Id());
            }
            var team = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICompanyTeamGrain>(companyId).List();
            Assert.Equal(StaffRole.Owner, team.Single(m => m.Email == "boss@brightwater.example").Role);
            Assert.Equal(StaffRole.Admin, team.Single(m => m.Email == "office@brightwater.example").Role);
            Assert.Equal(StaffRole.Member, team.Single(m => m.Email == "field@brightwater.example").Role);

            // The configured admin signs in with the configured password, which is never printed.
            using var boss = await StaffSessionEndTests.SignInAsync(host, "boss@brightwater.example", "correct horse battery staple");
            Assert.DoesNotContain("correct horse battery staple", banner, StringComparison.Ordinal);
        }

        // Shown once: the next start finds the accounts and prints no password for them.
        await using (var again = await StartCapturingAsync(dataDirectory, settings, out var output))
        {
            Assert.Empty(DemoLine().Matches(output.ToString()));
            Assert.Equal(3, (await again.Services.GetRequiredService<IGrainFactory>().GetGrain<ICompanyTeamGrain>(companyId).List()).Count);
        }
    }

    [Fact]
    public async Task Outside_development_the_demo_seeds_no_accounts_whose_passwords_nobody_could_learn()
    {
        await using var host = await PortalTestHost.StartAsync(demo: true);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        foreach (var (_, email, _) in DemoStaff.People)
        {
            Assert.Null(await grains.GetGrain<IStaffEmailGrain>(IStaffEmailGrain.KeyOf(email)).Find());
        }
        var (status, _) = await new PortalBrowser(host).GetAsync("/staff/sign-in");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    /// <summary>Starts a demo host with the console captured (teed) until the start-up banner was printed.</summary>
    private static Task<PortalTestHost> StartCapturingAsync(string dataDirectory, Dictionary<string, string?> settings, out StringBuilder output)
    {
        var captured = new StringBuilder();
        output = captured;
        return StartAsync();

        async Task<PortalTestHost> StartAsync()
        {
            var original = Console.Out;
            var tee = new TeeWriter(original, captured);
            lock (ConsoleGate)
            {
                Console.SetOut(tee);
            }
            try
            {
                var host = await PortalTestHost.StartAsync(dataDirectory, settings, demo: true);
                await Eventually.UntilAsync(() => Task.FromResult(tee.Text.Contains("==== Portal is ready ====", StringComparison.Ordinal)), "the start-up banner");
                return host;
            }
            finally
            {
                lock (ConsoleGate)
                {
                    Console.SetOut(original);
                }
            }
        }
    }

    [GeneratedRegex(@"Demo (admin|member)\s*: (?<email>\S+) / (?<password>\S+)")]
    private static partial Regex DemoLine();

    private sealed class TeeWriter(TextWriter inner, StringBuilder copy) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public string Text
        {
            get
            {
                lock (copy)
                {
                    return copy.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (copy)
            {
                copy.Append(value);
            }
            inner.Write(value);
        }

        public override void Write(string? value)
        {
            lock (copy)
            {
                copy.Append(value);
            }
            inner.Write(value);
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            Write(Environment.NewLine);
        }
    }
}
