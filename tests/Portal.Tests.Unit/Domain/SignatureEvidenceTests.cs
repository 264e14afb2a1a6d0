using Portal.Domain;

namespace Portal.Tests.Domain;

public class SignatureEvidenceTests
{
    private static SignatureEvidence Build(SignatureInput input) =>
        SignatureEvidenceBuilder.Build(Sample.Accept(signature: input), Sample.Now, 3, "abc");

    [Fact]
    public void A_typed_name_loses_control_and_bidi_override_characters()
    {
        var evidence = Build(Sample.Typed("\u202EJane\u200F \u2066Smith\u2069\u0000\u001b\u200E\u202A\u202C\u2067\u2068 "));
        Assert.Equal("Jane Smith", evidence.TypedName);
    }

    [Fact]
    public void A_typed_name_keeps_ordinary_accents_and_scripts()
    {
        Assert.Equal("Zoë O'Brien-Łukasz 山田", Build(Sample.Typed("Zoë O'Brien-Łukasz 山田")).TypedName);
    }

    [Fact]
    public void A_typed_signature_that_is_empty_after_cleaning_is_refused()
    {
        Refuse.With("validation.signature", RuleKind.Invalid, () => Build(Sample.Typed("\u202E\u0007 ")));
    }

    [Fact]
    public void A_drawn_PNG_is_kept_as_given()
    {
        var png = Sample.TinyPng();
        var evidence = Build(Sample.Drawn(png));
        Assert.Equal(SignatureMethod.Drawn, evidence.Method);
        Assert.Equal(png, evidence.DrawnPng);
        Assert.Null(evidence.TypedName);
    }

    [Fact]
    public void A_drawn_signature_that_is_not_a_PNG_is_refused()
    {
        Refuse.With("validation.signature", RuleKind.Invalid, () => Build(Sample.Drawn([0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0, 0, 0])));
        Refuse.With("validation.signature", RuleKind.Invalid, () => Build(Sample.Drawn([])));
        Refuse.With("validation.signature", RuleKind.Invalid, () => Build(Sample.Drawn(null!)));
    }

    [Fact]
    public void A_drawn_PNG_of_exactly_200_KB_is_allowed_and_one_byte_more_is_refused()
    {
        Assert.NotNull(Build(Sample.Drawn(TestPng.Create(600, 200, totalBytes: 200 * 1024))).DrawnPng);

        var violation = Refuse.With("validation.signature", RuleKind.Invalid, () => Build(Sample.Drawn(TestPng.Create(600, 200, totalBytes: 200 * 1024 + 1))));
        Assert.Contains("200 KB", violation.Message);
    }

    [Fact]
    public void An_SVG_signature_is_refused()
    {
        var svg = System.Text.Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
        Refuse.With("validation.signature", RuleKind.Invalid, () => Build(Sample.Drawn(svg)));
    }

    [Fact]
    public void A_long_user_agent_is_cut_and_loses_control_characters()
    {
        var input = Sample.Typed("Jane") with { UserAgent = "Mozilla\u0000/5.0 " + new string('x', 1000) };
        var evidence = Build(input);
        Assert.Equal(SignatureEvidenceBuilder.MaxUserAgentLength, evidence.UserAgent!.Length);
        Assert.StartsWith("Mozilla/5.0 x", evidence.UserAgent);
    }

    [Fact]
    public void Evidence_without_link_address_or_user_agent_is_still_evidence()
    {
        var evidence = Build(Sample.Typed("Jane") with { IpAddress = null, UserAgent = " ", LinkId = null });
        Assert.Null(evidence.IpAddress);
        Assert.Null(evidence.UserAgent);
        Assert.Null(evidence.LinkId);
    }

    [Fact]
    public void A_typed_name_longer_than_200_characters_is_refused()
    {
        Assert.Equal(200, Build(Sample.Typed(new string('a', 200))).TypedName!.Length);
        Refuse.With("validation.signature", RuleKind.Invalid, () => Build(Sample.Typed(new string('a', 201))));
    }

    [Fact]
    public void The_link_id_is_kept_and_never_a_token()
    {
        var link = Guid.NewGuid();
        Assert.Equal(link, Build(Sample.Typed("Jane") with { LinkId = link }).LinkId);
    }

    [Fact]
    public void Evidence_binds_the_signer_time_consent_and_document()
    {
        var evidence = Build(Sample.Typed("Jane Smith"));
        Assert.Equal("Jane Smith", evidence.SignerName);
        Assert.Equal("jane@example.com", evidence.SignerEmail);
        Assert.Equal(Sample.Now, evidence.SignedAtUtc);
        Assert.Equal(TimeSpan.Zero, evidence.SignedAtUtc.Offset);
        Assert.Equal(3, evidence.DocumentVersion);
        Assert.Equal("abc", evidence.DocumentSha256);
        Assert.Equal(1, evidence.ConsentVersion);
        // SHA-256 of the UTF-8 bytes of "I agree to the terms.", lower-case hex.
        Assert.Equal(Hashing.Sha256Hex("I agree to the terms."), evidence.ConsentSha256);
        Assert.Matches("^[0-9a-f]{64}$", evidence.ConsentSha256);
    }

    [Fact]
    public void Consent_text_is_required()
    {
        var input = Sample.Typed("Jane") with { ConsentText = " " };
        Refuse.With("validation.consent", RuleKind.Invalid, () => Build(input));
    }

    [Fact]
    public void The_consent_hash_is_the_known_SHA256_of_the_text()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hashing.Sha256Hex("abc"));
    }
}
