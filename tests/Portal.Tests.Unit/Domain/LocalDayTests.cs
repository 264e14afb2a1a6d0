using Portal.Domain;

namespace Portal.Tests.Domain;

public class LocalDayTests
{
    [Fact]
    public void A_summer_day_in_London_ends_at_23_00_UTC()
    {
        Assert.Equal(new DateTimeOffset(2026, 6, 20, 23, 0, 0, TimeSpan.Zero), LocalDay.EndOf(new DateOnly(2026, 6, 20), Sample.London));
    }

    [Fact]
    public void A_winter_day_in_London_ends_at_midnight_UTC()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), LocalDay.EndOf(new DateOnly(2026, 11, 30), Sample.London));
    }

    [Fact]
    public void The_day_is_over_only_from_the_next_local_midnight()
    {
        var day = new DateOnly(2026, 6, 20);
        Assert.False(LocalDay.IsOver(day, new DateTimeOffset(2026, 6, 20, 22, 59, 59, 999, TimeSpan.Zero), Sample.London));
        Assert.True(LocalDay.IsOver(day, new DateTimeOffset(2026, 6, 20, 23, 0, 0, TimeSpan.Zero), Sample.London));
    }

    [Fact]
    public void Other_time_zones_use_their_own_midnight()
    {
        var day = new DateOnly(2026, 6, 20);
        var end = LocalDay.EndOf(day, "America/New_York");
        Assert.Equal(new DateTimeOffset(2026, 6, 21, 4, 0, 0, TimeSpan.Zero), end);
    }
}
