using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains;
using Portal.Tests.Functional.Infrastructure;

namespace Portal.Tests.Functional;

/// <summary>
/// Notifications a grain owes others for a stored change survive the silo stopping between the write and the
/// notification: a project still reaches its client's "All Projects" and its company's index, a client its company,
/// a link the company's list (where staff revoke it), and a draft its project, told by the owing grain's retry
/// reminder after a restart, with nothing else calling it.
/// </summary>
[Trait("Category", "Security")]
public sealed class DurableNoticeTests
{
    private static readonly Dictionary<string, string?> FastRetry = new() { ["Portal:Orleans:NoticeRetryPeriod"] = "00:00:02" };

    [Fact]
    public async Task Notifications_lost_with_a_stopped_silo_are_made_by_the_reminder_after_a_restart()
    {
        var dataDirectory = PortalTestHost.NewDataDirectory();
        var failing = new FailingNotices();
        var reports = new HeldProjectReports();
        Guid companyId, clientId, projectId, linkId, quoteId;

        await using (var first = await PortalTestHost.StartAsync(dataDirectory, FastRetry, configure: b =>
        {
            b.Services.AddSingleton<INoticeHook>(failing);
            b.Services.AddSingleton<IProjectReportHook>(reports);
        }))
        {
            companyId = (await first.Api.GetOkAsync("/api/company")).Id();
            // Every notification between grains fails on this silo; each change is still acknowledged.
            failing.Failing = true;
            clientId = await first.Api.CreateClientAsync("Owed Notices");
            (projectId, _) = await first.Api.CreateProjectAsync(clientId);
            linkId = (await first.Api.PostOkAsync($"/api/clients/{clientId}/portal-links", new { })).Id();
            var held = reports.Fail(projectId);
            (quoteId, _) = await first.Api.CreateQuoteAsync(projectId);
            await held.Reached;

            var grains = first.Services.GetRequiredService<IGrainFactory>();
            Assert.Empty((await grains.GetGrain<IClientGrain>(clientId).GetProjects()).Open);
            Assert.DoesNotContain(clientId, await grains.GetGrain<ICompanyGrain>(companyId).GetClientIds());
            Assert.DoesNotContain(projectId, await grains.GetGrain<ICompanyGrain>(companyId).GetProjectIds());
            Assert.Empty(await grains.GetGrain<ICompanyGrain>(companyId).ListPortalLinks(clientId));
            Assert.Empty((await grains.GetGrain<IProjectGrain>(projectId).Get()).Proposals);
            Assert.True(failing.Failures > 0);
        }

        // The silo is gone, and its in-memory retries with it. Nothing calls the owing grains now: only their reminders.
        await using var second = await PortalTestHost.StartAsync(dataDirectory, FastRetry);
        var after = second.Services.GetRequiredService<IGrainFactory>();
        var company = after.GetGrain<ICompanyGrain>(companyId);

        await Eventually.UntilAsync(async () => (await after.GetGrain<IClientGrain>(clientId).GetProjects()).Open.Any(p => p.ProjectId == projectId),
            "the project on its client's All Projects");
        await Eventually.UntilAsync(async () => (await company.GetProjectIds()).Contains(projectId), "the project in its company's index");
        await Eventually.UntilAsync(async () => (await company.GetClientIds()).Contains(clientId), "the client in its company's index");
        await Eventually.UntilAsync(async () => (await company.ListPortalLinks(clientId)).Any(l => l.LinkId == linkId), "the link in its company's list");
        await Eventually.UntilAsync(async () => (await after.GetGrain<IProjectGrain>(projectId).Get()).Proposals.Any(p => p.Id == quoteId),
            "the draft on its project");

        // And so staff can revoke the link that was issued while its registration failed.
        using var revoked = await second.Api.DeleteAsync($"/api/portal-links/{linkId}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
    }

    [Fact]
    public async Task A_failed_notification_is_retried_in_the_running_silo_too()
    {
        var failing = new FailingNotices { Failing = true };
        await using var host = await PortalTestHost.StartAsync(settings: FastRetry, configure: b => b.Services.AddSingleton<INoticeHook>(failing));
        var clientId = await host.Api.CreateClientAsync("Retried Later");
        var (projectId, _) = await host.Api.CreateProjectAsync(clientId);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        Assert.Empty((await grains.GetGrain<IClientGrain>(clientId).GetProjects()).Open);

        failing.Failing = false;
        await Eventually.UntilAsync(async () => (await grains.GetGrain<IClientGrain>(clientId).GetProjects()).Open.Any(p => p.ProjectId == projectId),
            "the project on its client's All Projects");
    }

    /// <summary>Fails every notification between grains while <see cref="Failing"/> is set.</summary>
    private sealed class FailingNotices : INoticeHook
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
            if (!_failing)
            {
                return Task.CompletedTask;
            }
            Interlocked.Increment(ref _failures);
            throw new InvalidOperationException($"Notification '{what}' fails (test).");
        }
    }
}
