using System.Text.Json;
using Orleans.Storage;

namespace Portal.Tests;

/// <summary>
/// Makes the in-memory test storage serialize state the way the real storage does (System.Text.Json with
/// <see cref="StateJson.Options"/>), so every grain test also proves its state survives that round trip.
/// </summary>
public sealed class StateJsonGrainStorageSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, StateJson.Options));

    public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(StateJson.Options)!;
}
