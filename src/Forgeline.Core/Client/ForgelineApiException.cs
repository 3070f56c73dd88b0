using System.Net;

namespace Forgeline.Core.Client;

/// <summary>An error answer of the Forgeline API, carrying its ProblemDetails title and detail.</summary>
public sealed class ForgelineApiException(HttpStatusCode status, string title, string? detail)
    : Exception(detail is { Length: > 0 } ? $"{title}: {detail}" : title)
{
    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>ProblemDetails title.</summary>
    public string Title { get; } = title;

    /// <summary>ProblemDetails detail, when given.</summary>
    public string? Detail { get; } = detail;
}
