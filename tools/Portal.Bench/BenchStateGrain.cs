namespace Portal.Bench;

/// <summary>
/// The smallest durable transition: change one field and write it through the same <c>portal</c> storage (JSON
/// serializer, ADO.NET provider, our PostgreSQL query). Measures what Orleans adds to a write, without domain work.
/// </summary>
public interface IBenchStateGrain : IGrainWithGuidKey
{
    Task<int> Touch();
}

public sealed class BenchState
{
    public int Count { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public string Note { get; set; } = string.Empty;
}

public sealed class BenchStateGrain([PersistentState("bench", StorageNames.Portal)] IPersistentState<BenchState> state)
    : Grain, IBenchStateGrain
{
    public async Task<int> Touch()
    {
        state.State.Count++;
        state.State.ChangedAt = DateTimeOffset.UtcNow;
        state.State.Note = $"touched {state.State.Count} times";
        await state.WriteStateAsync();
        return state.State.Count;
    }
}
