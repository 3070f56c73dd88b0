using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Web.Auth;

/// <summary>
/// Every request that would change something on the strength of the session cookie must carry the CSRF token (a form field
/// or the <see cref="HeaderName"/> header); token-authenticated calls are not at risk (a browser never adds the header itself).
/// </summary>
public static class CsrfProtection
{
    /// <summary>Header scripts (htmx) send the token in.</summary>
    public const string HeaderName = "X-CSRF-Token";

    /// <summary>Refuses cookie-authenticated unsafe requests without a valid CSRF token, with 400 and a ProblemDetails body.</summary>
    public static IApplicationBuilder UseCsrfProtection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var method = context.Request.Method;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
        if (!safe && context.User.Identity?.AuthenticationType == AuthServiceCollectionExtensions.SessionScheme)
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Results.Problem(
                    title: "Missing CSRF token",
                    detail: "this change came with your session cookie but without the page's CSRF token; reload the page and try again",
                    statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    });
}
