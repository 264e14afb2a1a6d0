using Portal.Domain;

namespace Portal.Tests.Domain;

public class ValidateTests
{
    [Theory]
    [InlineData("jane@example.com")]
    [InlineData("  jane.smith+portal@mail.example.co.uk ")]
    public void Plain_email_addresses_are_accepted(string email) => Assert.Equal(email.Trim(), Validate.Email(email));

    [Theory]
    [InlineData("")]
    [InlineData("jane")]
    [InlineData("jane@")]
    [InlineData("Jane <jane@example.com>")]
    [InlineData("jane@localhost")]
    public void Bad_email_addresses_are_refused(string email) =>
        Refuse.With("validation.email", RuleKind.Invalid, () => Validate.Email(email));

    [Theory]
    [InlineData("#1D4ED8", "#1d4ed8")]
    [InlineData("#000000", "#000000")]
    public void Brand_colours_are_six_digit_hex(string input, string stored) => Assert.Equal(stored, Validate.BrandColour(input));

    [Theory]
    [InlineData("1d4ed8")]
    [InlineData("#1d4ed")]
    [InlineData("#1d4ed8ff")]
    [InlineData("blue")]
    [InlineData("#ggg000")]
    public void Other_colours_are_refused(string colour) =>
        Refuse.With("validation.brand_colour", RuleKind.Invalid, () => Validate.BrandColour(colour));

    [Fact]
    public void Time_zones_must_be_known()
    {
        Assert.Equal("Europe/London", Validate.TimeZone("Europe/London"));
        Refuse.With("validation.time_zone", RuleKind.Invalid, () => Validate.TimeZone("Europe/Atlantis"));
        Refuse.With("validation.time_zone", RuleKind.Invalid, () => Validate.TimeZone(""));
    }

    [Fact]
    public void Names_cannot_be_blank() =>
        Refuse.With("validation.name", RuleKind.Invalid, () => Validate.Name("  "));
}
