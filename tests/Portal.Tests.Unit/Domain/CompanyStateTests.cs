using Portal.Domain;

namespace Portal.Tests.Domain;

public class CompanyStateTests
{
    private static CompanyState Company(CompanySettings? settings = null)
    {
        var state = new CompanyState();
        state.Create("Acme Heating", settings, Sample.Now);
        return state;
    }

    [Fact]
    public void A_new_company_has_the_defaults()
    {
        var view = Company().ToView(Guid.NewGuid());
        Assert.Equal("#1d4ed8", view.BrandColour);
        Assert.Equal("GBP", view.Currency);
        Assert.Equal("Europe/London", view.TimeZone);
        Assert.Equal(new PaymentMethods(BankTransfer: true, Card: false), view.PaymentMethods);
        Assert.Null(view.Terms);
    }

    [Fact]
    public void Creating_twice_is_refused()
    {
        var state = Company();
        Refuse.Unchanged(state, "company.exists", RuleKind.Conflict, () => state.Create("Other", null, Sample.Now));
    }

    [Fact]
    public void Creating_without_a_name_is_refused()
    {
        Refuse.With("validation.name", RuleKind.Invalid, () => new CompanyState().Create(" ", null, Sample.Now));
    }

    [Fact]
    public void Numbers_count_up_separately_per_sequence()
    {
        var state = Company();
        Assert.Equal(1001, state.AllocateProjectNumber());
        Assert.Equal(1002, state.AllocateProjectNumber());
        Assert.Equal("Q-0001", state.AllocateDocumentNumber(DocumentKind.Quote));
        Assert.Equal("Q-0002", state.AllocateDocumentNumber(DocumentKind.Quote));
        Assert.Equal("E-0001", state.AllocateDocumentNumber(DocumentKind.Estimate));
        Assert.Equal("INV-0001", state.AllocateDocumentNumber(DocumentKind.Invoice));
        Assert.Equal("Q-0003", state.AllocateDocumentNumber(DocumentKind.Quote));
    }

    [Fact]
    public void Settings_apply_only_the_values_given()
    {
        var state = Company();
        state.UpdateSettings(new CompanySettings { BrandColour = "#FF0000", VatNumber = "GB123" });
        state.UpdateSettings(new CompanySettings { Phone = "01234" });

        var view = state.ToView(Guid.NewGuid());
        Assert.Equal("#ff0000", view.BrandColour);
        Assert.Equal("GB123", view.VatNumber);
        Assert.Equal("01234", view.Phone);
        Assert.Equal("Acme Heating", view.Name);
    }

    [Theory]
    [InlineData("validation.brand_colour", "red", null, null)]
    [InlineData("validation.currency", null, "POUNDS", null)]
    [InlineData("validation.time_zone", null, null, "Nowhere/Atall")]
    public void Invalid_settings_are_refused_and_change_nothing(string code, string? colour, string? currency, string? timeZone)
    {
        var state = Company();
        Refuse.Unchanged(state, code, RuleKind.Invalid, () => state.UpdateSettings(new CompanySettings
        {
            Name = "Renamed", VatNumber = "GB999", BrandColour = colour, Currency = currency, TimeZone = timeZone,
        }));
    }

    [Fact]
    public void Setting_terms_text_creates_the_next_terms_version()
    {
        var state = Company();
        state.UpdateSettings(new CompanySettings { TermsText = "Pay in 30 days.", TermsUrl = "https://example.com/terms" });
        state.UpdateSettings(new CompanySettings { TermsText = "Pay in 14 days." });

        var terms = state.ToView(Guid.NewGuid()).Terms!;
        Assert.Equal(2, terms.Version);
        Assert.Equal("Pay in 14 days.", terms.Text);
        Assert.Equal("https://example.com/terms", terms.Url);
        Assert.Equal("Pay in 30 days.", state.TermsHistory[0].Text);
    }

    [Fact]
    public void Indexes_register_each_id_once()
    {
        var state = Company();
        var id = Guid.NewGuid();
        Assert.True(state.RegisterClient(id));
        Assert.False(state.RegisterClient(id));
        Assert.True(state.RegisterProject(id));
        Assert.False(state.RegisterProject(id));
        Assert.Single(state.ClientIds);
    }

    [Fact]
    public void Portal_links_are_found_by_id()
    {
        var state = Company();
        var link = new PortalLinkRecord(Guid.NewGuid(), Guid.NewGuid(), new string('a', 64), Sample.Now.AddDays(90));
        Assert.True(state.RegisterPortalLink(link, Sample.Now));
        Assert.False(state.RegisterPortalLink(link, Sample.Now));
        Assert.Equal(link, state.FindPortalLink(link.LinkId, Sample.Now));
        Assert.Null(state.FindPortalLink(Guid.NewGuid(), Sample.Now));
    }

    [Fact]
    public void A_clients_portal_links_are_listed_and_no_other_clients()
    {
        var state = Company();
        var client = Guid.NewGuid();
        var later = new PortalLinkRecord(Guid.NewGuid(), client, new string('a', 64), Sample.Now.AddDays(90));
        var sooner = new PortalLinkRecord(Guid.NewGuid(), client, new string('b', 64), Sample.Now.AddDays(10));
        state.RegisterPortalLink(later, Sample.Now);
        state.RegisterPortalLink(sooner, Sample.Now);
        state.RegisterPortalLink(new PortalLinkRecord(Guid.NewGuid(), Guid.NewGuid(), new string('c', 64), Sample.Now.AddDays(90)), Sample.Now);

        Assert.Equal([sooner, later], state.ListPortalLinks(client, Sample.Now));
        Assert.Empty(state.ListPortalLinks(Guid.NewGuid(), Sample.Now));
    }

    [Fact]
    public void A_company_never_created_is_not_found()
    {
        Refuse.With("company.not_found", RuleKind.NotFound, () => new CompanyState().AllocateProjectNumber());
    }
}
