using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing.Meetings;

/// <summary>One call a <see cref="LoopbackFake"/> answered.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path.</param>
/// <param name="Query">The query string, with its <c>?</c>, or empty.</param>
/// <param name="Headers">The request's headers (names in any case), each header's values joined with commas.</param>
/// <param name="Status">The status answered (0 when the connection was cut).</param>
public sealed record LoopbackCall(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, int Status)
{
    /// <summary>The request header <paramref name="name"/>, or empty.</summary>
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    internal static LoopbackCall From(HttpContext context, int status)
    {
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new LoopbackCall(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, status);
    }
}
