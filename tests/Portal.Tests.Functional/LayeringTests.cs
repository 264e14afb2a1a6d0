using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Portal.Tests.Functional;

/// <summary>
/// The web app talks to grains through their interfaces only: it references the hosting library (which composes a
/// silo for embedded mode), never the silo host, and no grain class. Read from the compiled assembly's metadata, so
/// a use hidden in a Razor page or a constant counts too.
/// </summary>
public sealed class LayeringTests
{
    private static readonly string WebAssembly = typeof(Portal.Web.Hosting.PortalWebApp).Assembly.Location;

    [Fact]
    public void Web_references_grain_interfaces_and_the_hosting_library_but_no_grain_class()
    {
        using var stream = File.OpenRead(WebAssembly);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();

        var assemblies = metadata.AssemblyReferences
            .Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Portal.GrainInterfaces", assemblies);
        Assert.Contains("Portal.Hosting", assemblies);
        Assert.DoesNotContain("Portal.Silo", assemblies);

        var grainClasses = metadata.TypeReferences
            .Select(handle => metadata.GetTypeReference(handle))
            .Where(type => type.ResolutionScope.Kind == HandleKind.AssemblyReference
                && metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name) == "Portal.Grains"
                && metadata.GetString(type.Namespace) == "Portal.Grains")
            .Select(type => metadata.GetString(type.Name))
            .ToList();
        Assert.True(grainClasses.Count == 0, "web uses grain classes: " + string.Join(", ", grainClasses));
    }
}
