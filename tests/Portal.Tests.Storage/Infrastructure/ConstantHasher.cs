using Orleans.Storage;

namespace Portal.Tests.Storage.Infrastructure;

/// <summary>Gives every grain and state name the same hash, so only the natural columns tell rows apart.</summary>
public sealed class ConstantHashPicker : IStorageHasherPicker
{
    private static readonly IHasher Hasher = new ConstantHasher();

    public ICollection<IHasher> HashProviders { get; } = [Hasher];

    public IHasher PickHasher<T>(string serviceId, string storageProviderInstanceName, string grainType, GrainId grainId, IGrainState<T> grainState, string? tag = null) => Hasher;

    private sealed class ConstantHasher : IHasher
    {
        public string Description => "Constant 42, to force hash collisions";

        public int Hash(byte[] data) => 42;
    }
}
