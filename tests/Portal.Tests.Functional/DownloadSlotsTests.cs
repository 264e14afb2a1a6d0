using Microsoft.Extensions.Options;
using Portal.Web.ClientPortal;

namespace Portal.Tests.Functional;

/// <summary>The per-client download count on its own: a slot is given back once, however often it is disposed.</summary>
public sealed class DownloadSlotsTests
{
    [Trait("Category", "Security")]
    [Fact]
    public void Each_client_gets_its_own_slots_and_a_slot_comes_back_exactly_once()
    {
        var slots = new DownloadSlots(Options.Create(new DownloadOptions { MaxConcurrentPerClient = 2 }));
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();

        var first = slots.TryTake(alice);
        var second = slots.TryTake(alice);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(slots.TryTake(alice));
        using (var bobs = slots.TryTake(bob))
        {
            Assert.NotNull(bobs);
        }
        Assert.Equal(0, slots.RunningFor(bob));

        first.Dispose();
        first.Dispose();
        Assert.Equal(1, slots.RunningFor(alice));
        var third = slots.TryTake(alice);
        Assert.NotNull(third);
        Assert.Null(slots.TryTake(alice));

        second.Dispose();
        third.Dispose();
        Assert.Equal(0, slots.RunningFor(alice));
    }
}
