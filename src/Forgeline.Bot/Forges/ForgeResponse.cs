using System.Text.Json;
using System.Text.RegularExpressions;

namespace Forgeline.Bot.Forges;

/// <summary>A forge's answer to one request: its status, its JSON body (undefined when empty) and its headers.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The parsed body; <see cref="JsonValueKind.Undefined"/> when there was none.</param>
/// <param name="Headers">The response and content headers, names case-insensitive, repeated values joined with ", ".</param>
public sealed partial record ForgeResponse(int StatusCode, JsonElement Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>Whether the status is 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Whether the RFC 8288 <c>Link</c> header names a <c>rel="next"</c> page (GitHub, GitLab).</summary>
    public bool LinksToNextPage => Header("Link") is { } link && NextRel().IsMatch(link);

    [GeneratedRegex("""rel="?next"?""", RegexOptions.IgnoreCase)]
    private static partial Regex NextRel();
}
