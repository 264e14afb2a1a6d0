using System.Text.Json;
using Portal.Domain;

namespace Portal.Tests.Domain;

public class ProposalContentHashTests
{
    [Fact]
    public void The_same_content_always_gives_the_same_hash()
    {
        Assert.Equal(Sample.DraftProposal().DocumentSha256(), Sample.DraftProposal().DocumentSha256());
    }

    [Fact]
    public void The_hash_is_lower_case_hex_SHA256_of_the_canonical_json()
    {
        var state = Sample.DraftProposal();
        Assert.Equal(Hashing.Sha256Hex(ProposalContentHash.CanonicalJson(state)), state.DocumentSha256());
        Assert.Matches("^[0-9a-f]{64}$", state.DocumentSha256());
    }

    [Fact]
    public void The_hash_survives_a_round_trip_through_storage_json()
    {
        var state = Sample.SentProposal();
        var copy = JsonSerializer.Deserialize<ProposalState>(JsonSerializer.Serialize(state, StateJson.Options), StateJson.Options)!;
        Assert.Equal(state.DocumentSha256(), copy.DocumentSha256());
    }

    [Fact]
    public void Decimal_scale_does_not_change_the_hash()
    {
        var a = Sample.DraftProposal();
        var b = Sample.DraftProposal();
        b.Lines[0] = b.Lines[0] with { Quantity = 1.000m, UnitPrice = 1500.00m };
        Assert.Equal(a.DocumentSha256(), b.DocumentSha256());
    }

    [Fact]
    public void The_canonical_json_names_every_bound_field()
    {
        using var json = JsonDocument.Parse(ProposalContentHash.CanonicalJson(Sample.DraftProposal()));
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(
            ["number", "kind", "documentVersion", "lines", "totals", "currency", "validUntil", "notes", "termsVersion", "companyId", "clientId", "projectId"],
            names);
    }

    public static TheoryData<string> Changes() =>
        ["number", "kind", "version", "description", "quantity", "price", "vat", "currency", "validUntil", "notes", "terms", "company", "client", "project"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Any_change_of_content_changes_the_hash(string change)
    {
        var original = Sample.DraftProposal();
        var changed = Sample.DraftProposal();
        switch (change)
        {
            case "number": changed.Number = "Q-0002"; break;
            case "kind": changed.Kind = DocumentKind.Estimate; break;
            case "version": changed.DocumentVersion = 2; break;
            case "description": changed.Lines[0] = changed.Lines[0] with { Description = "Install boilers" }; break;
            case "quantity": changed.Lines[1] = changed.Lines[1] with { Quantity = 4m }; break;
            case "price": changed.Lines[0] = changed.Lines[0] with { UnitPrice = 1500.01m }; break;
            case "vat": changed.Lines[0] = changed.Lines[0] with { VatRate = 5m }; break;
            case "currency": changed.Currency = "EUR"; break;
            case "validUntil": changed.ValidUntil = changed.ValidUntil.AddDays(1); break;
            case "notes": changed.Notes = "Different"; break;
            case "terms": changed.TermsVersion = 2; break;
            case "company": changed.CompanyId = Guid.NewGuid(); break;
            case "client": changed.ClientId = Guid.NewGuid(); break;
            case "project": changed.ProjectId = Guid.NewGuid(); break;
        }
        Assert.NotEqual(original.DocumentSha256(), changed.DocumentSha256());
    }

    [Fact]
    public void Status_changes_do_not_change_the_hash()
    {
        var state = Sample.DraftProposal();
        var hash = state.DocumentSha256();
        state.Send(Sample.Now);
        state.MarkViewed(Sample.ClientActor(), Sample.Now);
        Assert.Equal(hash, state.DocumentSha256());
    }
}
