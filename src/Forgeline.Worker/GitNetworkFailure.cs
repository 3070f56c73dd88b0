namespace Forgeline.Worker;

/// <summary>
/// Tells a <c>git clone</c> that failed because the network did (retry elsewhere, later) from one that failed because
/// of what the user asked for (a repository that does not exist, a refused login: the build fails).
/// </summary>
public static class GitNetworkFailure
{
    // What git, curl and ssh print when a connection cannot be made or breaks off; server errors (5xx) count too.
    private static readonly string[] Signs =
    [
        "Could not resolve host",
        "Could not resolve hostname",
        "Temporary failure in name resolution",
        "Failed to connect to",
        "Couldn't connect to server",
        "unable to connect to",
        "Connection refused",
        "Connection timed out",
        "Connection reset",
        "Operation timed out",
        "Network is unreachable",
        "No route to host",
        "early EOF",
        "RPC failed",
        "the remote end hung up unexpectedly",
        "The requested URL returned error: 500",
        "The requested URL returned error: 502",
        "The requested URL returned error: 503",
        "The requested URL returned error: 504",
    ];

    /// <summary>The lines of <paramref name="output"/> that show a network failure, or null when none does.</summary>
    public static string? Find(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => Signs.Any(sign => line.Contains(sign, StringComparison.OrdinalIgnoreCase)))
            .Distinct(StringComparer.Ordinal)
            .Take(3)
            .ToList();
        return lines.Count == 0 ? null : $"network failure ({string.Join(" / ", lines)})";
    }
}
