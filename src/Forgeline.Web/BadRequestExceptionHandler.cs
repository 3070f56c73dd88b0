using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Web;

/// <summary>Answers Kestrel's request errors (body too large, malformed request) with their own status as ProblemDetails, not 500.</summary>
public sealed class BadRequestExceptionHandler : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        await Results.Problem(title: "Bad request", detail: bad.Message, statusCode: bad.StatusCode).ExecuteAsync(httpContext);
        return true;
    }
}
