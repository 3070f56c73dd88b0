namespace Forgeline.Worker;

/// <summary>
/// The sandboxed commands that turn a source into a directory of files, shared by builds and spec reading so both
/// fetch and unpack exactly alike. Paths are as seen inside the sandbox.
/// </summary>
public static class SourceCommands
{
    /// <summary>Extracts a checked tar.gz without taking owners or permissions from it.</summary>
    public static string[] Unpack(string archive, string destination) =>
        ["tar", "-xzf", archive, "-C", destination, "--no-same-owner", "--no-same-permissions"];

    /// <summary>Clones without checking out; local paths and file:// are refused, so a URL cannot reach the worker's own files. Needs the network.</summary>
    public static string[] GitClone(string url, string destination) =>
        ["git", "-c", "protocol.file.allow=never", "clone", "--quiet", "--no-checkout", "--", url, destination];

    /// <summary>Checks out <paramref name="gitRef"/> (branch, tag or commit; HEAD when empty) detached.</summary>
    public static string[] GitCheckout(string repository, string? gitRef) =>
        ["git", "-C", repository, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", gitRef is { Length: > 0 } wanted ? wanted : "HEAD", "--"];
}
