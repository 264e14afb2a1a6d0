using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Storage.Infrastructure;

namespace Portal.Tests.Storage.Contract;

/// <summary>Contract checks 8–9: the ADO.NET reminder table on our schema, as the running silo uses it.</summary>
public abstract class ReminderContractTests<TEngine>(ContractSilo<TEngine> silo) where TEngine : ITestEngine, new()
{
    private IReminderTable Table => silo.Services.GetRequiredService<IReminderTable>();

    [EngineFact]
    public async Task Upserts_get_new_etags_and_times_and_long_periods_round_trip()
    {
        var grain = NewGrain();
        var start = new DateTime(2024, 3, 31, 1, 30, 15, 250, DateTimeKind.Utc);
        var entry = new ReminderEntry { GrainId = grain, ReminderName = "invoice-due", StartAt = start, Period = TimeSpan.FromDays(30) };
        var first = await Table.UpsertRow(entry);
        var second = await Table.UpsertRow(entry);
        Assert.NotEqual(first, second);

        var read = await Table.ReadRow(grain, "invoice-due");
        Assert.NotNull(read);
        Assert.Equal(start, read.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Equal(TimeSpan.FromDays(30), read.Period);
        Assert.Equal(second, read.ETag);
        Assert.Equal(grain, read.GrainId);

        Assert.Null(await Table.ReadRow(grain, "no-such-reminder"));
        Assert.Single((await Table.ReadRows(grain)).Reminders);
    }

    [EngineFact]
    public async Task Ring_ranges_include_and_exclude_by_signed_hash_with_wrap_and_full_ring()
    {
        var grain = NewGrain();
        var hash = grain.GetUniformHashCode();
        await Table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(5) });

        async Task<bool> InRange(uint begin, uint end) =>
            (await Table.ReadRows(begin, end)).Reminders.Any(r => r.GrainId.Equals(grain));

        Assert.True(await InRange(hash - 1, hash));
        Assert.False(await InRange(hash, hash + 1));
        Assert.False(await InRange(hash, hash - 1));
        Assert.True(await InRange(hash + 1, hash));
        Assert.True(await InRange(hash, hash));
    }

    [EngineFact]
    public async Task Remove_needs_the_current_etag_and_happens_once()
    {
        var grain = NewGrain();
        var entry = new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) };
        var stale = await Table.UpsertRow(entry) ?? throw new InvalidOperationException("no etag");
        var current = await Table.UpsertRow(entry) ?? throw new InvalidOperationException("no etag");

        Assert.False(await Table.RemoveRow(grain, "r", stale));
        Assert.True(await Table.RemoveRow(grain, "r", current));
        Assert.False(await Table.RemoveRow(grain, "r", current));
        Assert.Null(await Table.ReadRow(grain, "r"));
    }

    /// <summary>A grain whose hash is not next to a signed or unsigned boundary, so ±1 ranges stay simple.</summary>
    private static GrainId NewGrain()
    {
        while (true)
        {
            var grain = GrainId.Create("reminder-contract", Guid.NewGuid().ToString("N"));
            var hash = grain.GetUniformHashCode();
            if (hash is > 2 and < uint.MaxValue - 2 && hash - 0x7FFFFFFEu > 4)
            {
                return grain;
            }
        }
    }
}

[Collection(SqliteContractCollection.Name)]
public sealed class SqliteReminderContractTests(SqliteContractSilo silo) : ReminderContractTests<SqliteTestEngine>(silo);
