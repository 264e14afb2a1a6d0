using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;
using Portal.Tests.Storage.Infrastructure;

namespace Portal.Tests.Storage.Contract;

/// <summary>Contract checks 5–7 and 10: the ADO.NET membership table and gateway list on our schema.</summary>
public abstract class ClusteringContractTests<TEngine>(ContractSilo<TEngine> silo) where TEngine : ITestEngine, new()
{
    [EngineFact]
    public async Task The_silo_is_active_in_the_membership_table_after_start()
    {
        var table = silo.Services.GetRequiredService<IMembershipTable>();
        var self = silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var data = await table.ReadAllAsync(CancellationToken.None);
        var entry = Assert.Single(data.Members, m => m.Item1.SiloAddress.Equals(self)).Item1;
        Assert.Equal(SiloStatus.Active, entry.Status);
        Assert.Equal(silo.Options.Orleans.GatewayPort, entry.ProxyPort);
    }

    [EngineFact]
    public async Task A_client_gateway_list_holds_exactly_the_silo_gateway()
    {
        var provider = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            silo.Services,
            Options.Create(new AdoNetClusteringClientOptions { Invariant = silo.Database.Invariant, ConnectionString = silo.Database.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = silo.Options.Orleans.ClusterId, ServiceId = silo.Options.Orleans.ServiceId }));
        await provider.InitializeGatewayListProvider();
        var gateways = await provider.GetGateways();
        var gateway = Assert.Single(gateways);
        Assert.Equal(silo.Options.Orleans.GatewayPort, gateway.Port);
    }

    [EngineFact]
    public async Task Stale_duplicate_and_missing_changes_return_false_and_keep_the_version()
    {
        var table = await OpenTableAsync(silo.Database);
        var empty = await table.ReadAll();
        Assert.Equal(0, empty.Version.Version);
        Assert.Empty(empty.Members);

        var first = Entry(1001, SiloStatus.Joining);
        Assert.True(await table.InsertRow(first, empty.Version.Next()));
        var one = await table.ReadAll();
        Assert.Equal(1, one.Version.Version);

        // Stale table version, duplicate key, and update of a row that does not exist.
        Assert.False(await table.InsertRow(Entry(1002, SiloStatus.Joining), empty.Version.Next()));
        Assert.False(await table.InsertRow(first, one.Version.Next()));
        Assert.False(await table.UpdateRow(Entry(1003, SiloStatus.Active), one.Version.VersionEtag, one.Version.Next()));
        Assert.False(await table.UpdateRow(With(first, SiloStatus.Active), empty.Version.VersionEtag, empty.Version.Next()));
        Assert.Equal(1, (await table.ReadAll()).Version.Version);

        Assert.True(await table.UpdateRow(With(first, SiloStatus.Active), one.Version.VersionEtag, one.Version.Next()));
        var two = await table.ReadAll();
        Assert.Equal(2, two.Version.Version);
        Assert.Equal(SiloStatus.Active, Assert.Single(two.Members).Item1.Status);
    }

    [EngineFact]
    public async Task Timestamps_and_suspect_times_round_trip_as_utc()
    {
        var table = await OpenTableAsync(silo.Database);
        var start = new DateTime(2024, 7, 1, 3, 4, 5, 678, DateTimeKind.Utc);
        var entry = Entry(1101, SiloStatus.Joining, start);
        var version = (await table.ReadAll()).Version;
        Assert.True(await table.InsertRow(entry, version.Next()));

        var read = await table.ReadRow(entry.SiloAddress);
        var row = Assert.Single(read.Members).Item1;
        Assert.Equal(start, row.StartTime);
        Assert.Equal(DateTimeKind.Utc, row.StartTime.Kind);
        Assert.Equal(start, row.IAmAliveTime);

        var suspectedAt = new DateTime(2024, 7, 1, 4, 0, 0, 125, DateTimeKind.Utc);
        var voter = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1102), 7);
        var updated = With(row, SiloStatus.Active);
        updated.AddOrUpdateSuspector(voter, suspectedAt, 2);
        Assert.True(await table.UpdateRow(updated, read.Members[0].Item2, read.Version.Next()));

        var after = Assert.Single((await table.ReadRow(entry.SiloAddress)).Members).Item1;
        var suspicion = Assert.Single(after.SuspectTimes!);
        Assert.Equal(voter, suspicion.Item1);
        Assert.Equal(suspectedAt, suspicion.Item2);
        Assert.Equal(start, after.StartTime);
    }

    [EngineFact]
    public async Task Heartbeats_and_cleanup_keep_the_version_and_cleanup_removes_only_old_dead_rows()
    {
        await AssertHeartbeatAndCleanup(await OpenTableAsync(silo.Database));
    }

    [EngineFact]
    public async Task Cleanup_without_the_optional_per_row_query_removes_only_old_dead_rows()
    {
        await using var database = await silo.Engine.CreateDatabaseAsync("no-cleanup-row");
        await database.MigrateAsync();
        await database.ExecuteAsync("DELETE FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntryKey'");
        await AssertHeartbeatAndCleanup(await OpenTableAsync(database));
    }

    [EngineFact]
    public async Task Deleting_the_deployment_removes_members_and_version()
    {
        var table = await OpenTableAsync(silo.Database);
        Assert.True(await table.InsertRow(Entry(1201, SiloStatus.Active), (await table.ReadAll()).Version.Next()));
        await table.DeleteMembershipTableEntries(table.ClusterId);
        await Assert.ThrowsAnyAsync<Exception>(() => table.ReadAll());
    }

    [EngineFact]
    public async Task A_missing_required_query_fails_initialisation()
    {
        await using var database = await silo.Engine.CreateDatabaseAsync("missing-key");
        await database.MigrateAsync();
        await database.ExecuteAsync("DELETE FROM OrleansQuery WHERE QueryKey = 'UpdateMembershipKey'");
        var failure = await Assert.ThrowsAsync<ArgumentException>(() => OpenTableAsync(database));
        Assert.Contains("Not all required queries found", failure.Message);
    }

    [EngineFact]
    public async Task The_driver_name_is_not_a_valid_invariant()
    {
        var failure = await Record.ExceptionAsync(() => OpenTableAsync(silo.Database, invariant: "Microsoft.Data.Sqlite"));
        Assert.NotNull(failure);
        Assert.True(
            failure is KeyNotFoundException || failure.InnerException is KeyNotFoundException,
            $"Expected KeyNotFoundException, got {failure}");
    }

    private static async Task AssertHeartbeatAndCleanup(TestTable table)
    {
        var now = DateTime.UtcNow;
        var old = now.AddHours(-2);
        var cutoff = now.AddHours(-1);
        var oldDead = Entry(1301, SiloStatus.Dead, old);
        var recentDead = Entry(1302, SiloStatus.Dead, now.AddMinutes(-5));
        var oldActive = Entry(1303, SiloStatus.Active, old);
        foreach (var entry in new[] { oldDead, recentDead, oldActive })
        {
            Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        }

        var before = await table.ReadAll();
        var heartbeat = With(oldActive, SiloStatus.Active);
        heartbeat.IAmAliveTime = now;
        await table.UpdateIAmAlive(heartbeat);
        var afterHeartbeat = await table.ReadAll();
        Assert.Equal(before.Version.Version, afterHeartbeat.Version.Version);
        Assert.Equal(
            TruncateToMilliseconds(now),
            TruncateToMilliseconds(afterHeartbeat.Members.Single(m => m.Item1.SiloAddress.Equals(oldActive.SiloAddress)).Item1.IAmAliveTime));

        await table.CleanupDefunctSiloEntries(new DateTimeOffset(cutoff));
        var after = await table.ReadAll();
        Assert.Equal(before.Version.Version, after.Version.Version);
        var left = after.Members.Select(m => m.Item1.SiloAddress).ToHashSet();
        Assert.DoesNotContain(oldDead.SiloAddress, left);
        Assert.Contains(recentDead.SiloAddress, left);
        Assert.Contains(oldActive.SiloAddress, left);
    }

    private static DateTime TruncateToMilliseconds(DateTime value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerMillisecond));

    private static MembershipEntry Entry(int port, SiloStatus status, DateTime? start = null)
    {
        var at = start ?? DateTime.UtcNow;
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 17),
            SiloName = $"silo-{port}",
            HostName = "contract-host",
            Status = status,
            ProxyPort = port + 10000,
            StartTime = at,
            IAmAliveTime = at,
            SuspectTimes = [],
            RoleName = "portal",
        };
    }

    private static MembershipEntry With(MembershipEntry entry, SiloStatus status)
    {
        return new MembershipEntry
        {
            SiloAddress = entry.SiloAddress,
            SiloName = entry.SiloName,
            HostName = entry.HostName,
            Status = status,
            ProxyPort = entry.ProxyPort,
            StartTime = entry.StartTime,
            IAmAliveTime = entry.IAmAliveTime,
            SuspectTimes = [.. entry.SuspectTimes ?? []],
            RoleName = entry.RoleName,
        };
    }

    private static async Task<TestTable> OpenTableAsync(TestDatabase database, string? invariant = null)
    {
        var clusterId = "m-" + Guid.NewGuid().ToString("N");
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "contract" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = invariant ?? database.Invariant, ConnectionString = database.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        var testTable = new TestTable(table, clusterId);
        await testTable.InitializeAsync();
        return testTable;
    }

    /// <summary>A membership table on its own ClusterId, so tests never disturb the running silo's deployment.</summary>
    private sealed class TestTable(IMembershipTable table, string clusterId)
    {
        public string ClusterId { get; } = clusterId;

        public Task InitializeAsync() => table.InitializeMembershipTableAsync(true, CancellationToken.None);

        public Task DeleteMembershipTableEntries(string id) => table.DeleteMembershipTableEntriesAsync(id, CancellationToken.None);

        public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => table.CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

        public Task<MembershipTableData> ReadRow(SiloAddress key) => table.ReadRowAsync(key, CancellationToken.None);

        public Task<MembershipTableData> ReadAll() => table.ReadAllAsync(CancellationToken.None);

        public Task<bool> InsertRow(MembershipEntry entry, TableVersion version) => table.InsertRowAsync(entry, version, CancellationToken.None);

        public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion version) => table.UpdateRowAsync(entry, etag, version, CancellationToken.None);

        public Task UpdateIAmAlive(MembershipEntry entry) => table.UpdateIAmAliveAsync(entry, CancellationToken.None);
    }
}

[Collection(SqliteContractCollection.Name)]
public sealed class SqliteClusteringContractTests(SqliteContractSilo silo) : ClusteringContractTests<SqliteTestEngine>(silo);
