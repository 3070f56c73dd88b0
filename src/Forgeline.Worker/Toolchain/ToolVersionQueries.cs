namespace Forgeline.Worker.Toolchain;

/// <summary>The command (program and arguments) that prints each tool's version; the first line of its output counts.</summary>
public sealed record ToolVersionQueries(
    IReadOnlyList<string> Rpm,
    IReadOnlyList<string> RpmDist,
    IReadOnlyList<string> Gcc,
    IReadOnlyList<string> Make,
    IReadOnlyList<string> Binutils);
