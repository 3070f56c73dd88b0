using Forgeline.Core.Projects;

namespace Forgeline.Web.Pages;

/// <summary>
/// A batch's dependency graph laid out for an SVG: one column per level, packages stacked in each, an arrow from each
/// package to each one it waits for. Drawn for one chroot (the graph is the same in every chroot; the states may differ).
/// </summary>
public sealed class BatchGraphLayout
{
    /// <summary>Width of a node.</summary>
    public const int NodeWidth = 150;

    /// <summary>Height of a node.</summary>
    public const int NodeHeight = 30;

    private const int ColumnGap = 60;
    private const int RowGap = 12;
    private const int Margin = 10;

    /// <summary>A package placed on the canvas.</summary>
    public sealed record Node(string Package, string State, long? BuildId, string? Reason, int X, int Y);

    /// <summary>An arrow from a package to one it waits for.</summary>
    public sealed record Edge(int X1, int Y1, int X2, int Y2, string State);

    /// <summary>The packages.</summary>
    public required IReadOnlyList<Node> Nodes { get; init; }

    /// <summary>The arrows.</summary>
    public required IReadOnlyList<Edge> Edges { get; init; }

    /// <summary>Canvas width.</summary>
    public int Width { get; init; }

    /// <summary>Canvas height.</summary>
    public int Height { get; init; }

    /// <summary>The chroot drawn.</summary>
    public required string Chroot { get; init; }

    /// <summary>Lays out <paramref name="batch"/>'s entries of <paramref name="chroot"/> (or of its first chroot when it has none of that one).</summary>
    public static BatchGraphLayout Of(BatchDto batch, string chroot)
    {
        var entries = batch.Entries.Where(e => e.Chroot == chroot).ToList();
        if (entries.Count == 0 && batch.Entries.Count > 0)
        {
            chroot = batch.Entries[0].Chroot;
            entries = batch.Entries.Where(e => e.Chroot == chroot).ToList();
        }

        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        var height = 0;
        foreach (var level in entries.GroupBy(e => e.Level).OrderBy(g => g.Key))
        {
            var row = 0;
            foreach (var e in level.OrderBy(e => e.Package, StringComparer.Ordinal))
            {
                var node = new Node(e.Package, e.State, e.BuildId, e.Reason, Margin + level.Key * (NodeWidth + ColumnGap), Margin + row * (NodeHeight + RowGap));
                nodes[e.Package] = node;
                row++;
                height = Math.Max(height, node.Y + NodeHeight + Margin);
            }
        }

        var edges = new List<Edge>();
        foreach (var e in entries)
        {
            foreach (var dependency in e.WaitsFor)
            {
                if (nodes.TryGetValue(dependency, out var from) && nodes.TryGetValue(e.Package, out var to))
                {
                    edges.Add(new Edge(from.X + NodeWidth, from.Y + NodeHeight / 2, to.X, to.Y + NodeHeight / 2, from.State));
                }
            }
        }

        var width = nodes.Values.Select(n => n.X + NodeWidth + Margin).DefaultIfEmpty(0).Max();
        return new BatchGraphLayout { Nodes = [.. nodes.Values], Edges = edges, Width = width, Height = height, Chroot = chroot };
    }

    /// <summary>The fill colour of a state.</summary>
    public static string Fill(string state) => state switch
    {
        "succeeded" => "#d3f2dc",
        "failed" => "#fbd5d5",
        "blocked" => "#fde2c4",
        "building" or "publishing" => "#d6e4ff",
        _ => "#f2f4f7",
    };
}
