using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// An acknowledged settings, key or team change never loses its audit entry: the entry is stored with the change and
/// delivered afterwards, so a silo that stops between the two leaves it for the retry reminder after a restart,
/// still naming who made the change and when.
/// </summary>
[Trait("Category", "Security")]
public sealed class DurableAuditTests
{
    private static readonly Dictionary<string, string?> FastRetry = new() { ["Portal:Orleans:NoticeRetryPeriod"] = "00:00:02" };

    [Fact]
    public async Task Audit_entries_lost_with_a_stopped_silo_are_delivered_after_a_restart_naming_who_acted()
    {
        var dataDirectory = PortalTestHost.NewDataDirectory();
        var failing = new FailingAuditDelivery();
        Guid companyId;
        int before;

        await using (var first = await PortalTestHost.StartAsync(dataDirectory, FastRetry, configure: b => b.Services.AddSingleton<INoticeHook>(failing)))
        {
            companyId = (await first.Api.GetOkAsync("/api/company")).Id();
            before = (await first.Api.GetOkAsync("/api/company/audit"))["entries"]!.AsArray().Count;
            failing.Failing = true;

            // Each change is acknowledged although its audit entry cannot be delivered yet.
            using (var settings = await first.Api.PutAsJsonAsync("/api/company", new { vatNumber = "GB987654321" }))
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, settings.StatusCode);
            }
            await first.Api.PostOkAsync("/api/api-keys", new { name = "Bookkeeping", role = "member" });
            StaffActing.Set("Olive Owner", "admin@portal.local");
            var memberId = await StaffSessionEndTests.AddMemberAsync(first, companyId, "late@audit.example", StaffRole.Member);
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<ICompanyTeamGrain>(companyId).Remove(StaffRole.Owner, memberId);

            Assert.Equal(before, (await first.Api.GetOkAsync("/api/company/audit"))["entries"]!.AsArray().Count);
            Assert.True(failing.Failures >= 4, $"{failing.Failures} deliveries failed");
        }

        // The silo is gone with its in-memory retries; nothing calls the owing grains now, only their reminders.
        await using var second = await PortalTestHost.StartAsync(dataDirectory, FastRetry);
        System.Text.Json.Nodes.JsonArray entries = [];
        await Eventually.UntilAsync(async () =>
        {
            entries = (await second.Api.GetOkAsync("/api/company/audit"))["entries"]!.AsArray();
            return entries.Count >= before + 4;
        }, "the four owed audit entries in the company's log");

        var ours = entries.Skip(before).ToList();
        Assert.Equal(4, ours.Count);
        Assert.Equal(AuditActions.SettingsChanged, Assert.Single(ours, e => e!.Str("detail") == "vatNumber")!.Str("action"));
        Assert.Equal("bootstrap", Assert.Single(ours, e => e!.Str("action") == AuditActions.ApiKeyAdded)!.Str("actor"));
        Assert.Equal("bootstrap", Assert.Single(ours, e => e!.Str("action") == AuditActions.SettingsChanged)!.Str("actor"));
        // The team's entries keep their order and their actor, though delivered by a reminder with no request behind it.
        var team = ours.Where(e => e!.Str("action").StartsWith("team.", StringComparison.Ordinal)).ToList();
        Assert.Equal([AuditActions.MemberAdded, AuditActions.MemberRemoved], team.Select(e => e!.Str("action")));
        Assert.All(team, e => Assert.Equal("Olive Owner", e!.Str("actor")));

        var verification = (await second.Api.GetOkAsync("/api/company/audit"))["verification"]!;
        Assert.True(verification["ok"]!.GetValue<bool>());
    }

    /// <summary>Fails every delivery to the company audit log while <see cref="Failing"/> is set; other notices pass.</summary>
    private sealed class FailingAuditDelivery : INoticeHook
    {
        private int _failures;
        private volatile bool _failing;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        public int Failures => Volatile.Read(ref _failures);

        public Task BeforeNotifyingAsync(GrainId grain, string what)
        {
            if (!_failing || !what.Contains("audit log", StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }
            Interlocked.Increment(ref _failures);
            throw new InvalidOperationException($"Delivery '{what}' fails (test).");
        }
    }
}
