using Forgeline.Bot.Forges;

namespace Forgeline.Testing;

/// <summary>One request the fake forge answered.</summary>
/// <param name="Forge">Which forge's API it was sent to.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path and query as sent, relative to the fake's root (so GitLab's start with <c>/gitlab/api/v4</c>).</param>
/// <param name="Body">The request body's text (empty when none).</param>
/// <param name="Headers">The request headers, repeated values joined with ", ".</param>
/// <param name="ReceivedAt">When it arrived (on the fake's clock).</param>
/// <param name="StatusCode">The status the fake answered with.</param>
public sealed record FakeForgeCall(
    Forge Forge,
    string Method,
    string PathAndQuery,
    string Body,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset ReceivedAt,
    int StatusCode)
{
    /// <summary>The path without the query.</summary>
    public string Path => PathAndQuery.Split('?')[0];

    /// <inheritdoc />
    public override string ToString() => $"{Forge} {Method} {PathAndQuery} -> {StatusCode}";
}
