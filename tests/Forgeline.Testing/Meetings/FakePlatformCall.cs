using System.Text.Json;

namespace Forgeline.Testing.Meetings;

/// <summary>One call a fake meeting platform received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, e.g. <c>/v1/meetings</c>.</param>
/// <param name="Query">The query string, with its <c>?</c>, or empty.</param>
/// <param name="Headers">The request headers by name (any case).</param>
/// <param name="Body">The body as text.</param>
/// <param name="Status">The status answered.</param>
public sealed record FakePlatformCall(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, int Status)
{
    /// <summary>The body parsed as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The header <paramref name="name"/>, or empty.</summary>
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}
