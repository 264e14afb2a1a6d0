using Xunit.Abstractions;
using Xunit.Sdk;

namespace Portal.Tests.Storage.Infrastructure;

/// <summary>Decides per concrete test class (not per base-class method) whether an engine fact is skipped.</summary>
public sealed class EngineFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var needsPostgres = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
        if (needsPostgres && PostgresTestEngine.SkipRequested)
        {
            return [new EngineSkippedTestCase(diagnosticMessageSink, display, displayOptions, testMethod, $"{PostgresTestEngine.SkipVariable}=1")];
        }

        return [new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)];
    }
}
