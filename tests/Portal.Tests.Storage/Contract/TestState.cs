namespace Portal.Tests.Storage.Contract;

public enum TestColour
{
    Red,
    Green,
}

/// <summary>A small state object; JSON-serialised by the portal serializer.</summary>
public sealed class TestState
{
    public string? Text { get; set; }

    public int Number { get; set; }

    public TestColour Colour { get; set; }
}
