using Forgeline.Core;
using Forgeline.Builds;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Forgeline.Web.Features;

/// <summary>Turns the services' expected failures into RFC 7807 ProblemDetails answers.</summary>
public static class ServiceResultHttp
{
    /// <summary>The ProblemDetails answer for a failed result.</summary>
    public static ProblemHttpResult Problem<T>(ServiceResult<T> result)
    {
        var (status, title) = result.Error switch
        {
            ServiceError.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            ServiceError.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
            ServiceError.TooLarge => (StatusCodes.Status413PayloadTooLarge, "Too large"),
            ServiceError.Forbidden => (StatusCodes.Status403Forbidden, "Not allowed"),
            ServiceError.Unauthorized => (StatusCodes.Status401Unauthorized, "Not authenticated"),
            ServiceError.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Not available"),
            ServiceError.TooMany => (StatusCodes.Status429TooManyRequests, "Too many"),
            _ => (StatusCodes.Status400BadRequest, "Invalid request"),
        };
        return TypedResults.Problem(title: title, detail: result.Message, statusCode: status);
    }

    /// <summary>200 with the value, or the problem.</summary>
    public static Results<Ok<T>, ProblemHttpResult> OkOrProblem<T>(ServiceResult<T> result) =>
        result.IsSuccess ? TypedResults.Ok(result.Value!) : Problem(result);
}
