using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal;

/// <summary>
/// The System.Text.Json settings grain state is stored with. One place, so the storage serializer and the
/// tests that prove every state type round-trips agree.
/// </summary>
public static class StateJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            WriteIndented = false,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
