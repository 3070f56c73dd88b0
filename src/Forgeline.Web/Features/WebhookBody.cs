using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Forgeline.Web.Features;

/// <summary>Reads a webhook's raw body (exactly as signed) up to a limit, for every webhook route.</summary>
public static class WebhookBody
{
    /// <summary>The body, or a 413 problem when it is larger than <paramref name="limit"/> bytes (by Content-Length or as read).</summary>
    public static async Task<(byte[]? Body, ProblemHttpResult? TooLarge)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var tooLarge = TypedResults.Problem(title: "Too large", detail: $"webhook bodies are limited to {limit} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
        if (request.ContentLength > limit)
        {
            return (null, tooLarge);
        }

        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > limit)
            {
                return (null, tooLarge);
            }

            body.Write(buffer, 0, read);
        }

        return (body.ToArray(), null);
    }

    /// <summary>The request's headers as the webhook services read them (by name, case-insensitive).</summary>
    public static Func<string, string?> Headers(HttpRequest request) => name => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;
}
