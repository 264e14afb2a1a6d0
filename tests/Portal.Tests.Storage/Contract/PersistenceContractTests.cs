using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Portal.Tests.Storage.Infrastructure;

namespace Portal.Tests.Storage.Contract;

/// <summary>Contract checks 2–4: the ADO.NET grain storage on our schema, driven through a real silo's providers.</summary>
public abstract class PersistenceContractTests<TEngine>(ContractSilo<TEngine> silo) where TEngine : ITestEngine, new()
{
    private IGrainStorage Storage(string name) => silo.Services.GetRequiredKeyedService<IGrainStorage>(name);

    private static string StateName() => "state-" + Guid.NewGuid().ToString("N");

    [EngineFact]
    public async Task Read_write_clear_follow_the_etag_contract_for_every_key_kind()
    {
        await AssertEtagContract(Storage(ContractSilo<TEngine>.KeepOnClearStorage));
    }

    [EngineFact]
    public async Task Hash_collisions_are_resolved_by_the_natural_identity_columns()
    {
        var storage = Storage(ContractSilo<TEngine>.CollidingStorage);
        await AssertEtagContract(storage);

        // Every key kind under two state names, all hashing to the same value: each must keep its own row.
        var keys = GrainKeys.AllKinds("collide");
        var names = new[] { StateName(), StateName() };
        foreach (var name in names)
        {
            foreach (var (kind, id) in keys)
            {
                var state = new GrainState<TestState> { State = new TestState { Text = $"{name}/{kind}" } };
                await storage.WriteStateAsync(name, id, state);
                Assert.Equal("1", state.ETag);
            }
        }

        foreach (var name in names)
        {
            foreach (var (kind, id) in keys)
            {
                var state = new GrainState<TestState>();
                await storage.ReadStateAsync(name, id, state);
                Assert.Equal($"{name}/{kind}", state.State?.Text);
            }
        }
    }

    [EngineFact]
    public async Task Clear_with_delete_on_clear_removes_the_row_and_the_next_write_starts_again()
    {
        var storage = Storage(StorageNames.Portal);
        var name = StateName();
        foreach (var (kind, id) in GrainKeys.AllKinds("delete"))
        {
            var state = new GrainState<TestState> { State = new TestState { Text = kind } };
            await storage.WriteStateAsync(name, id, state);
            await storage.WriteStateAsync(name, id, state);
            Assert.Equal("2", state.ETag);

            await storage.ClearStateAsync(name, id, state);
            Assert.Null(state.ETag);
            Assert.False(state.RecordExists);

            var read = new GrainState<TestState>();
            await storage.ReadStateAsync(name, id, read);
            Assert.Null(read.ETag);
            Assert.False(read.RecordExists);

            await storage.WriteStateAsync(name, id, state);
            Assert.Equal("1", state.ETag);
        }

        // A stale delete is refused.
        var (_, staleId) = GrainKeys.AllKinds("delete-stale")[3];
        var current = new GrainState<TestState> { State = new TestState() };
        await storage.WriteStateAsync(name, staleId, current);
        var stale = new GrainState<TestState> { ETag = current.ETag, RecordExists = true };
        await storage.WriteStateAsync(name, staleId, current);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(name, staleId, stale));
    }

    [EngineFact]
    public async Task Clearing_a_never_written_state_leaves_no_row()
    {
        var name = StateName();
        foreach (var storageName in new[] { StorageNames.Portal, ContractSilo<TEngine>.KeepOnClearStorage })
        {
            var (_, id) = GrainKeys.AllKinds("never")[3];
            var state = new GrainState<TestState>();
            await Storage(storageName).ClearStateAsync(name, id, state);
            Assert.Null(state.ETag);
            Assert.False(state.RecordExists);
        }

        Assert.Equal(0L, Convert.ToInt64(await silo.Database.ScalarAsync(
            $"SELECT count(*) FROM orleans_storage WHERE GrainTypeString = '{name}'"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [EngineFact]
    public async Task Two_concurrent_first_writes_let_exactly_one_succeed()
    {
        foreach (var storageName in new[] { StorageNames.Portal, ContractSilo<TEngine>.CollidingStorage })
        {
            var storage = Storage(storageName);
            for (var round = 0; round < 5; round++)
            {
                var name = StateName();
                var (_, id) = GrainKeys.AllKinds("race")[round % 5];
                var writers = Enumerable.Range(0, 4)
                    .Select(i => Task.Run(async () =>
                    {
                        var state = new GrainState<TestState> { State = new TestState { Number = i } };
                        try
                        {
                            await storage.WriteStateAsync(name, id, state);
                            return true;
                        }
                        catch (InconsistentStateException)
                        {
                            return false;
                        }
                    }))
                    .ToArray();
                var outcomes = await Task.WhenAll(writers);
                Assert.Equal(1, outcomes.Count(won => won));

                var read = new GrainState<TestState>();
                await storage.ReadStateAsync(name, id, read);
                Assert.Equal("1", read.ETag);
            }
        }
    }

    [EngineFact]
    public async Task State_is_stored_as_json_with_the_portal_options()
    {
        var name = StateName();
        var (_, id) = GrainKeys.AllKinds("json")[3];
        var state = new GrainState<TestState> { State = new TestState { Text = "hello", Number = 7, Colour = TestColour.Green } };
        await Storage(StorageNames.Portal).WriteStateAsync(name, id, state);

        var payload = (byte[])(await silo.Database.ScalarAsync(
            $"SELECT PayloadBinary FROM orleans_storage WHERE GrainTypeString = '{name}'"))!;
        using var json = JsonDocument.Parse(payload);
        Assert.Equal("hello", json.RootElement.GetProperty("Text").GetString());
        Assert.Equal(7, json.RootElement.GetProperty("Number").GetInt32());
        Assert.Equal("Green", json.RootElement.GetProperty("Colour").GetString());
    }

    private static async Task AssertEtagContract(IGrainStorage storage)
    {
        var name = StateName();
        foreach (var (kind, id) in GrainKeys.AllKinds("etag"))
        {
            var state = new GrainState<TestState>();
            await storage.ReadStateAsync(name, id, state);
            Assert.True(state.ETag is null, kind);
            Assert.False(state.RecordExists, kind);

            state.State = new TestState { Text = kind, Number = 1 };
            await storage.WriteStateAsync(name, id, state);
            Assert.Equal("1", state.ETag);

            var read = new GrainState<TestState>();
            await storage.ReadStateAsync(name, id, read);
            Assert.Equal("1", read.ETag);
            Assert.True(read.RecordExists, kind);
            Assert.Equal(kind, read.State?.Text);

            var blind = new GrainState<TestState> { State = new TestState { Text = "blind" } };
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(name, id, blind));

            state.State = new TestState { Text = kind, Number = 2 };
            await storage.WriteStateAsync(name, id, state);
            Assert.Equal("2", state.ETag);

            // "read" still holds version 1.
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(name, id, read));
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(name, id, read));

            await storage.ClearStateAsync(name, id, state);
            Assert.NotNull(state.ETag);
            Assert.NotEqual("2", state.ETag);
            Assert.False(state.RecordExists, kind);

            var afterClear = new GrainState<TestState>();
            await storage.ReadStateAsync(name, id, afterClear);
            Assert.Equal(state.ETag, afterClear.ETag);
            Assert.False(afterClear.RecordExists, kind);

            state.State = new TestState { Text = "again" };
            await storage.WriteStateAsync(name, id, state);
            Assert.NotEqual(afterClear.ETag, state.ETag);
            Assert.True(state.RecordExists, kind);
        }
    }
}

[Collection(SqliteContractCollection.Name)]
public sealed class SqlitePersistenceContractTests(SqliteContractSilo silo) : PersistenceContractTests<SqliteTestEngine>(silo);
