using System.Reflection;

namespace Portal.Tests.Functional;

/// <summary>
/// The web app talks to grains through their interfaces only; grain classes and the domain stay behind the silo.
/// It may reference the hosting library (which composes a silo for embedded mode), never the grains assembly.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly Web = typeof(Portal.Web.Hosting.PortalWebApp).Assembly;

    [Fact]
    public void Web_references_grain_interfaces_and_the_hosting_library_but_not_grain_classes()
    {
        var referenced = Web.GetReferencedAssemblies().Select(name => name.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("Portal.GrainInterfaces", referenced);
        Assert.Contains("Portal.Hosting", referenced);
        Assert.DoesNotContain("Portal.Grains", referenced);
        Assert.DoesNotContain("Portal.Silo", referenced);
    }
}
