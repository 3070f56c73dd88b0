namespace Forgeline.Testing.Meetings;

/// <summary>One call the fake Zoom received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, e.g. <c>/v2/users/me/meetings</c>.</param>
/// <param name="Query">The query string, with its <c>?</c>, or empty.</param>
/// <param name="Authorization">The Authorization header, or empty.</param>
/// <param name="Body">The body as text.</param>
/// <param name="Status">The status answered.</param>
public sealed record FakeZoomCall(string Method, string Path, string Query, string Authorization, string Body, int Status)
{
    /// <summary>The body parsed as JSON.</summary>
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;
}
