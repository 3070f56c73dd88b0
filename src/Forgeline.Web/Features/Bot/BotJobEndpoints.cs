using Forgeline.Bot.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Bot;

/// <summary>Routes of <c>/api/v1/bot/jobs</c>: URL-triggered CI jobs report their state here.</summary>
public static class BotJobEndpoints
{
    /// <summary>Maps the bot's job routes.</summary>
    public static IEndpointRouteBuilder MapBotJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/bot/jobs").WithTags("Bot");
        // Anonymous to the API's token scheme: the job proves itself with the run's own report token instead.
        jobs.MapPost("/{id:long}/status", ReportAsync).AllowAnonymous()
            .WithSummary("A URL-triggered job reports pending, success, failure or error (Authorization: Bearer <report_token>)");
        return app;
    }

    private static async Task<Results<Ok<JobRunView>, ProblemHttpResult>> ReportAsync(long id, JobStatusReport report, HttpRequest request, JobReports reports, CancellationToken cancellationToken) =>
        OkOrProblem(await reports.ReportAsync(id, BearerOf(request), report.State, report.Description, report.Url, cancellationToken));

    /// <summary>The token of an <c>Authorization: Bearer …</c> header; null for none or another scheme.</summary>
    private static string? BearerOf(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
