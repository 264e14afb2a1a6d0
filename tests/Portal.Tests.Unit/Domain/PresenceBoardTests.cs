using Portal.Domain;

namespace Portal.Tests.Domain;

public class PresenceBoardTests
{
    private static readonly DateTimeOffset Now = Sample.Now;
    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(3);

    private static PresenceEntry Jane(Guid project) => new(project, 1042, ClientA, "Jane Smith");

    private static readonly Guid ClientA = Guid.NewGuid();

    [Fact]
    public void A_client_is_viewing_while_any_node_reports_it_and_leaves_when_the_last_one_stops()
    {
        var board = new PresenceBoard(Expiry);
        var project = Guid.NewGuid();

        Assert.Equal(new PresenceChanged(Jane(project), true), board.Update("node-a", Jane(project), true, Now));
        Assert.Null(board.Update("node-b", Jane(project), true, Now));
        Assert.Null(board.Update("node-a", Jane(project), true, Now));
        Assert.Single(board.Current);

        Assert.Null(board.Update("node-a", Jane(project), false, Now));
        Assert.Equal(new PresenceChanged(Jane(project), false), board.Update("node-b", Jane(project), false, Now));
        Assert.Empty(board.Current);
        Assert.Null(board.Update("node-b", Jane(project), false, Now));
    }

    [Fact]
    public void A_full_report_replaces_what_the_node_reported_before()
    {
        var board = new PresenceBoard(Expiry);
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        board.Update("node-a", Jane(first), true, Now);

        var changes = board.Replace(new NodePresence("node-a", [Jane(second)]), Now);

        Assert.Equal([new PresenceChanged(Jane(first), false), new PresenceChanged(Jane(second), true)], changes);
        Assert.Equal([Jane(second)], board.Current);
    }

    [Fact]
    public void A_node_that_stops_reporting_is_forgotten_after_the_expiry_with_its_viewers()
    {
        var board = new PresenceBoard(Expiry);
        var project = Guid.NewGuid();
        board.Update("node-a", Jane(project), true, Now);
        board.Update("node-b", Jane(project), true, Now + TimeSpan.FromMinutes(2));

        Assert.Empty(board.Expire(Now + TimeSpan.FromMinutes(4)));
        Assert.Single(board.Current);

        Assert.Equal([new PresenceChanged(Jane(project), false)], board.Expire(Now + TimeSpan.FromMinutes(6)));
        Assert.Empty(board.Current);
    }
}
