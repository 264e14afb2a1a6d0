using Xunit.Abstractions;
using Xunit.Sdk;

namespace Portal.Tests.Storage.Infrastructure;

/// <summary>A test case skipped for a reason decided at discovery (xunit 2 otherwise only skips by a constant).</summary>
public sealed class EngineSkippedTestCase : XunitTestCase
{
    private string _reason = "";

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public EngineSkippedTestCase()
    {
    }

    public EngineSkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod, string reason)
        : base(sink, display, displayOptions, testMethod)
    {
        _reason = reason;
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("EngineSkipReason", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _reason = data.GetValue<string>("EngineSkipReason");
        base.Deserialize(data);
    }
}
