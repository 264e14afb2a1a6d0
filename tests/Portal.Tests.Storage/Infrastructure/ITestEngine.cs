namespace Portal.Tests.Storage.Infrastructure;

/// <summary>Creates isolated databases of one engine for the contract tests.</summary>
public interface ITestEngine
{
    Task<TestDatabase> CreateDatabaseAsync(string label);

    /// <summary>A connection string of this engine that cannot be reached.</summary>
    string UnreachableConnectionString { get; }
}
