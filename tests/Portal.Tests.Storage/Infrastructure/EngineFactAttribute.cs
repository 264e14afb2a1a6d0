using Xunit.Sdk;

namespace Portal.Tests.Storage.Infrastructure;

/// <summary>
/// A fact shared by the engine test classes. On a <see cref="RequiresPostgresAttribute"/> class it is skipped only
/// when <c>PORTAL_SKIP_POSTGRES=1</c>; otherwise it runs and fails loudly when PostgreSQL is not configured.
/// </summary>
[XunitTestCaseDiscoverer("Portal.Tests.Storage.Infrastructure.EngineFactDiscoverer", "Portal.Tests.Storage")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class EngineFactAttribute : FactAttribute;
