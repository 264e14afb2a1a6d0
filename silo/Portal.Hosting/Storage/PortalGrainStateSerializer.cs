using System.Text.Json;
using Orleans.Storage;

namespace Portal.Silo.Storage;

/// <summary>
/// Stores grain state as UTF-8 JSON with <see cref="StateJson.Options"/>, so rows stay readable and the state
/// round-trip tests exercise exactly what the silo writes.
/// </summary>
public sealed class PortalGrainStateSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) =>
        new(JsonSerializer.SerializeToUtf8Bytes(input, StateJson.Options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, StateJson.Options)!;
}
