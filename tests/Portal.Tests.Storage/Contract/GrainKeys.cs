namespace Portal.Tests.Storage.Contract;

/// <summary>The five kinds of grain key the persistence provider maps to different identity columns.</summary>
public static class GrainKeys
{
    public static IReadOnlyList<(string Kind, GrainId Id)> AllKinds(string type)
    {
        var grainType = GrainType.Create(type);
        // Not hex and not a Guid, so the provider really treats it as a string key.
        var text = "portal-string-" + Guid.NewGuid().ToString("N");
        var number = Random.Shared.NextInt64(1, long.MaxValue);
        return
        [
            ("string", GrainId.Create(grainType, text)),
            ("long", GrainId.Create(grainType, GrainIdKeyExtensions.CreateIntegerKey(number))),
            ("long+ext", GrainId.Create(grainType, GrainIdKeyExtensions.CreateIntegerKey(number, "ext-" + Guid.NewGuid().ToString("N")))),
            ("guid", GrainId.Create(grainType, GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid()))),
            ("guid+ext", GrainId.Create(grainType, GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid(), "ext"))),
        ];
    }
}
