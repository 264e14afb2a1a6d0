namespace Portal.Domain;

/// <summary>
/// Who is viewing what, from the reports of each web node: a (project, client) pair is "viewing" while at least
/// one node reports it. A node that has not reported within the expiry is taken to be gone with all its pages.
/// Plain C#: the feed grain holds one and relays the changes it returns.
/// </summary>
public sealed class PresenceBoard(TimeSpan expiry)
{
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(Guid Project, Guid Client), Viewer> _viewers = [];

    public IReadOnlyList<PresenceEntry> Current => [.. _viewers.Values.Select(v => v.Entry).OrderBy(e => e.ProjectNumber).ThenBy(e => e.ClientName, StringComparer.Ordinal)];

    /// <summary>Applies one node's join or leave; returns the change to relay, or null when nothing changed overall.</summary>
    public PresenceChanged? Update(string nodeId, PresenceEntry entry, bool viewing, DateTimeOffset now)
    {
        var node = Touch(nodeId, now);
        var key = (entry.ProjectId, entry.ClientId);
        return viewing ? Join(node, nodeId, key, entry) : Leave(node, nodeId, key);
    }

    /// <summary>Replaces a node's whole set (its periodic refresh); returns every resulting change.</summary>
    public IReadOnlyList<PresenceChanged> Replace(NodePresence presence, DateTimeOffset now)
    {
        var node = Touch(presence.NodeId, now);
        var wanted = presence.Viewing.GroupBy(e => (e.ProjectId, e.ClientId)).ToDictionary(g => g.Key, g => g.First());
        var changes = new List<PresenceChanged>();
        foreach (var key in node.Viewing.Where(k => !wanted.ContainsKey(k)).ToList())
        {
            if (Leave(node, presence.NodeId, key) is { } left)
            {
                changes.Add(left);
            }
        }
        foreach (var (key, entry) in wanted)
        {
            if (Join(node, presence.NodeId, key, entry) is { } joined)
            {
                changes.Add(joined);
            }
        }
        return changes;
    }

    /// <summary>Forgets nodes that stopped reporting; returns the viewers that are gone with them.</summary>
    public IReadOnlyList<PresenceChanged> Expire(DateTimeOffset now)
    {
        var changes = new List<PresenceChanged>();
        foreach (var (nodeId, node) in _nodes.Where(n => now - n.Value.LastSeen > expiry).ToList())
        {
            foreach (var key in node.Viewing.ToList())
            {
                if (Leave(node, nodeId, key) is { } left)
                {
                    changes.Add(left);
                }
            }
            _nodes.Remove(nodeId);
        }
        return changes;
    }

    private Node Touch(string nodeId, DateTimeOffset now)
    {
        if (!_nodes.TryGetValue(nodeId, out var node))
        {
            node = new Node();
            _nodes[nodeId] = node;
        }
        node.LastSeen = now;
        return node;
    }

    private PresenceChanged? Join(Node node, string nodeId, (Guid, Guid) key, PresenceEntry entry)
    {
        if (!node.Viewing.Add(key))
        {
            return null;
        }
        if (_viewers.TryGetValue(key, out var viewer))
        {
            viewer.Nodes.Add(nodeId);
            return null;
        }
        _viewers[key] = new Viewer(entry, [nodeId]);
        return new PresenceChanged(entry, true);
    }

    private PresenceChanged? Leave(Node node, string nodeId, (Guid, Guid) key)
    {
        if (!node.Viewing.Remove(key) || !_viewers.TryGetValue(key, out var viewer))
        {
            return null;
        }
        viewer.Nodes.Remove(nodeId);
        if (viewer.Nodes.Count > 0)
        {
            return null;
        }
        _viewers.Remove(key);
        return new PresenceChanged(viewer.Entry, false);
    }

    private sealed class Node
    {
        public DateTimeOffset LastSeen { get; set; }
        public HashSet<(Guid Project, Guid Client)> Viewing { get; } = [];
    }

    private sealed record Viewer(PresenceEntry Entry, HashSet<string> Nodes);
}
