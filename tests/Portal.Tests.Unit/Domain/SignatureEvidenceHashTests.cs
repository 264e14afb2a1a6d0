using Portal.Domain;

namespace Portal.Tests.Domain;

public class SignatureEvidenceHashTests
{
    private static SignatureEvidence Evidence() =>
        SignatureEvidenceBuilder.Build(Sample.Accept(signature: Sample.Drawn(TestPng.Create(30, 10)) with { LinkId = Guid.Parse("44444444-4444-4444-4444-444444444444") }), Sample.Now, 2, new string('a', 64));

    [Fact]
    public void The_same_evidence_always_hashes_the_same()
    {
        var evidence = Evidence();
        Assert.Equal(SignatureEvidenceHash.Compute(evidence), SignatureEvidenceHash.Compute(Evidence()));
        Assert.Equal(
            SignatureEvidenceHash.Compute(evidence),
            SignatureEvidenceHash.Compute(evidence with { SignedAtUtc = evidence.SignedAtUtc.ToOffset(TimeSpan.FromHours(3)) }));
        Assert.Matches("^[0-9a-f]{64}$", SignatureEvidenceHash.Compute(evidence));
    }

    [Fact]
    public void Changing_any_part_of_the_evidence_changes_the_hash()
    {
        var evidence = Evidence();
        var original = SignatureEvidenceHash.Compute(evidence);
        var changes = new Func<SignatureEvidence, SignatureEvidence>[]
        {
            e => e with { Method = SignatureMethod.Typed },
            e => e with { TypedName = "Jane" },
            e => e with { DrawnPng = TestPng.Create(31, 10) },
            e => e with { SignerName = "Jane Smyth" },
            e => e with { SignerEmail = "other@example.com" },
            e => e with { SignedAtUtc = e.SignedAtUtc.AddTicks(1) },
            e => e with { IpAddress = "198.51.100.1" },
            e => e with { UserAgent = "Other browser" },
            e => e with { LinkId = Guid.NewGuid() },
            e => e with { ConsentVersion = 2 },
            e => e with { ConsentSha256 = new string('b', 64) },
            e => e with { DocumentVersion = 3 },
            e => e with { DocumentSha256 = new string('c', 64) },
        };
        var hashes = changes.Select(change => SignatureEvidenceHash.Compute(change(evidence))).ToList();
        Assert.DoesNotContain(original, hashes);
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }
}
