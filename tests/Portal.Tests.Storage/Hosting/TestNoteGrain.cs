namespace Portal.Tests.Storage.Hosting;

public interface ITestNoteGrain : IGrainWithGuidKey
{
    Task Save(string text);

    Task<string?> Read();
}

[GenerateSerializer]
public sealed class TestNote
{
    [Id(0)]
    public string? Text { get; set; }
}

/// <summary>A grain persisting through the "portal" storage, to prove the composed host end to end.</summary>
public sealed class TestNoteGrain([PersistentState("test-note", StorageNames.Portal)] IPersistentState<TestNote> note)
    : Grain, ITestNoteGrain
{
    public async Task Save(string text)
    {
        note.State.Text = text;
        await note.WriteStateAsync();
    }

    public Task<string?> Read() => Task.FromResult(note.State.Text);
}
