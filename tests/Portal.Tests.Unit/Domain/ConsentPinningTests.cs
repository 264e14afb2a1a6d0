using Portal.Domain;

namespace Portal.Tests.Domain;

/// <summary>
/// A client signs the terms of business the quote was sent with, never the company's current ones: the company keeps
/// every version readable, and the proposal refuses an accept whose shown terms or consent are another version.
/// </summary>
[Trait("Category", "Security")]
public class ConsentPinningTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    /// <summary>The sample proposal pins terms version 1; this is the consent to them as the web builds it.</summary>
    private static SignatureInput ConsentTo(int version, string text) => Sample.Typed("Jane Smith") with { ConsentVersion = version, ConsentText = text };

    [Fact]
    public void Every_published_terms_version_stays_readable_after_newer_terms()
    {
        var company = new CompanyState();
        company.Create("Acme Heating", new CompanySettings { TermsText = "Pay in 30 days.", TermsUrl = "https://example.com/terms" }, Now);
        company.UpdateSettings(new CompanySettings { TermsText = "Pay in 7 days." });

        Assert.Equal(new TermsOfBusiness(1, "Pay in 30 days.", "https://example.com/terms"), company.TermsVersion(1));
        Assert.Equal(new TermsOfBusiness(2, "Pay in 7 days.", "https://example.com/terms"), company.TermsVersion(2));
        Assert.Equal(company.CurrentTerms, company.TermsVersion(2));
        Assert.Null(company.TermsVersion(3));
        Assert.Null(company.TermsVersion(0));
    }

    [Fact]
    public void Signing_records_the_pinned_terms_version_and_the_hash_of_their_consent_text()
    {
        var state = Sample.SentProposal();
        var consent = "I agree to the terms of business (version 1).\n\nPay in 30 days.";

        state.Accept(Sample.Accept(signature: ConsentTo(1, consent), termsVersion: 1), Now);

        Assert.Equal(ProposalStatus.Accepted, state.Status);
        Assert.Equal(1, state.Acceptance!.ConsentVersion);
        Assert.Equal(Hashing.Sha256Hex(consent), state.Acceptance.ConsentSha256);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(null)]
    public void Signing_with_other_terms_shown_than_the_quote_was_sent_with_is_refused_and_changes_nothing(int? shown)
    {
        var state = Sample.SentProposal();
        state.MarkViewed(Sample.ClientActor(), Now);

        var refusal = Refuse.Unchanged(state, "proposal.terms_changed", RuleKind.Conflict,
            () => state.Accept(Sample.Accept(signature: ConsentTo(shown ?? 0, "I agree to the terms of business (version 2)."), termsVersion: shown), Now));

        Assert.Contains("review them again", refusal.Message);
        Assert.Equal(ProposalStatus.Viewed, state.Status);
        Assert.Null(state.Acceptance);
    }

    [Fact]
    public void A_consent_to_other_terms_than_the_pinned_ones_is_refused_even_when_the_shown_version_is_right()
    {
        var state = Sample.SentProposal();

        Refuse.Unchanged(state, "proposal.terms_changed", RuleKind.Conflict,
            () => state.Accept(Sample.Accept(signature: ConsentTo(2, "I agree to the terms of business (version 2)."), termsVersion: 1), Now));
    }

    [Fact]
    public void A_quote_sent_without_terms_is_signed_with_terms_version_0_and_refuses_any_other()
    {
        var state = new ProposalState();
        state.Create(Sample.CreateProposal() with { TermsVersion = null }, Now);
        state.Send(Now);

        Refuse.Unchanged(state, "proposal.terms_changed", RuleKind.Conflict,
            () => state.Accept(Sample.Accept(signature: ConsentTo(1, "I agree to the terms of business (version 1)."), termsVersion: 1), Now));
        Refuse.Unchanged(state, "proposal.terms_changed", RuleKind.Conflict,
            () => state.Accept(Sample.Accept(signature: ConsentTo(0, "I agree to the terms of business."), termsVersion: null), Now));

        state.Accept(Sample.Accept(signature: ConsentTo(0, "I agree to the terms of business."), termsVersion: 0), Now);
        Assert.Equal(0, state.Acceptance!.ConsentVersion);
    }

    [Fact]
    public void A_changed_document_is_reported_before_the_terms()
    {
        var state = Sample.SentProposal();
        state.Edit(new EditProposal(Sample.Lines(), null, Sample.ValidUntil), Now);

        Refuse.Unchanged(state, "proposal.stale_version", RuleKind.Conflict,
            () => state.Accept(Sample.Accept(documentVersion: 1, termsVersion: 2), Now));
    }
}
