using System.Reflection;

namespace Portal.Tests.Cluster.Infrastructure;

/// <summary>
/// Where the built silo and web live. The tests start them as real processes (<c>dotnet Portal.Silo.dll</c>) from
/// the same configuration as this test assembly, not with <c>dotnet run</c>, which would rebuild and be slow.
/// </summary>
public static class BuildOutput
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string SiloDll => Locate("silo", "Portal.Silo.dll");

    public static string WebDll => Locate("web", "Portal.Web.dll");

    /// <summary><c>$PORTAL_ARTIFACTS/test-results</c>, or <c>artifacts/test-results</c> in the repository.</summary>
    public static string TestResultsDirectory
    {
        get
        {
            var artifacts = Environment.GetEnvironmentVariable("PORTAL_ARTIFACTS");
            var directory = Path.Combine(string.IsNullOrWhiteSpace(artifacts) ? Path.Combine(RepositoryRoot, "artifacts") : artifacts, "test-results");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }

    private static string Locate(string projectFolder, string assembly)
    {
        var configuration = typeof(BuildOutput).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var targetFramework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var path = Path.Combine(RepositoryRoot, projectFolder, "bin", configuration, targetFramework, assembly);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} does not exist: build the solution in {configuration} first (dotnet build Portal.sln -c {configuration}).");
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Portal.sln above {AppContext.BaseDirectory}.");
    }
}
