namespace Portal.Tests.Storage.Infrastructure;

/// <summary>Marks a test class whose engine facts are skipped only when <c>PORTAL_SKIP_POSTGRES=1</c>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;
