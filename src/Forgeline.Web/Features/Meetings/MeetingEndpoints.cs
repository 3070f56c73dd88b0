using System.Globalization;
using System.Security.Claims;
using System.Text;
using Forgeline.Builds.Artifacts;
using Forgeline.Core.Meetings;
using Forgeline.Meetings.Server;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Meetings;

/// <summary>Routes of the meetings part: booking, changing and cancelling, lists, feeds, statistics, recordings and the platforms' webhooks.</summary>
public static class MeetingEndpoints
{
    /// <summary>Maps the meetings routes.</summary>
    public static IEndpointRouteBuilder MapMeetingEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/meetings").WithTags("Meetings");
        api.MapGet("", async Task<Results<Ok<List<MeetingDto>>, ProblemHttpResult>> (string? sig, DateTimeOffset? from, DateTimeOffset? to, bool? cancelled, MeetingQueries queries, CancellationToken ct) =>
            OkOrProblem(await queries.ListAsync(sig, from, to, cancelled ?? false, ct))).WithSummary("Meetings (of one SIG with ?sig=) with an occurrence in [from, to) (default: from now, a year), soonest first");
        api.MapPost("", BookAsync).RequireAuthorization(Scopes.Build).WithSummary("Book a meeting for a SIG you are in: created on the platform, mailed to the SIG's list");
        api.MapGet("/platforms", (MeetingPlatforms platforms) => TypedResults.Ok(platforms.Accounts.Select(a => new MeetingPlatformDto(a.Name, a.DisplayName, a.ConcurrentMeetings)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList()))
            .WithSummary("The platforms meetings can be booked on here");
        api.MapGet("/statistics", StatisticsAsync).Produces<MeetingStatistics>().Produces<string>(contentType: "text/csv")
            .WithSummary("Meetings per SIG per month (from, to: 2027-01; default the 12 months up to next month), hours, participants; ?format=csv for CSV");
        api.MapGet("/{id:long}", async Task<Results<Ok<MeetingDto>, ProblemHttpResult>> (long id, MeetingQueries queries, CancellationToken ct) =>
            OkOrProblem(await queries.GetAsync(id, ct))).WithSummary("One meeting with its join link, upcoming occurrences and recordings");
        api.MapPatch("/{id:long}", async Task<Results<Ok<MeetingDto>, ProblemHttpResult>> (long id, MeetingBookingRequest request, ClaimsPrincipal user, MeetingBooking booking, CancellationToken ct) =>
            OkOrProblem(await booking.ChangeAsync(Caller(user), id, request, ct))).RequireAuthorization(Scopes.Build)
            .WithSummary("Change a meeting's title, agenda, time, duration or repetition (SIG members); the platform and the list hear of it");
        api.MapDelete("/{id:long}", async Task<Results<Ok<MeetingDto>, ProblemHttpResult>> (long id, ClaimsPrincipal user, MeetingBooking booking, CancellationToken ct) =>
            OkOrProblem(await booking.CancelAsync(Caller(user), id, ct))).RequireAuthorization(Scopes.Build)
            .WithSummary("Cancel a meeting (SIG members): deleted on the platform, the list gets the cancellation");
        api.MapGet("/{id:long}/recordings/{recording:long}", RecordingAsync).Produces(StatusCodes.Status200OK, contentType: "video/mp4")
            .WithSummary("A stored recording (video/mp4), with Range support");
        api.MapPost("/webhooks/zoom", ZoomAsync).AllowAnonymous()
            .WithSummary("Zoom's event notifications (x-zm-signature, x-zm-request-timestamp): URL validation, recording.completed, meeting.participant_joined");
        api.MapGet("/webhooks/tencent", TencentVerify).AllowAnonymous().Produces<string>(StatusCodes.Status200OK, "text/plain")
            .WithSummary("Tencent Meeting's URL verification (check_str, X-TC-Timestamp, X-TC-Nonce, X-TC-Signature): answers check_str decoded");
        api.MapPost("/webhooks/tencent", TencentAsync).AllowAnonymous()
            .WithSummary("Tencent Meeting's event notifications ({\"data\": base64}, X-TC-Timestamp, X-TC-Nonce, X-TC-Signature): recording.completed");

        app.MapGet("/meetings.ics", (HttpContext http, MeetingFeeds feeds, CancellationToken ct) => FeedAsync(null, http, feeds, ct)).WithTags("Meetings")
            .WithSummary("The community's calendar feed (every SIG)");
        app.MapGet("/meetings/{sig}.ics", (string sig, HttpContext http, MeetingFeeds feeds, CancellationToken ct) => FeedAsync(sig, http, feeds, ct)).WithTags("Meetings")
            .WithSummary("A SIG's calendar feed (iCalendar, subscribable)");
        return app;
    }

    /// <summary>The caller as the meetings part knows it.</summary>
    public static MeetingCaller Caller(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? new MeetingCaller(user.QueueOwner(), user.GroupsOf(), user.IsAdmin()) : MeetingCaller.Anonymous;

    private static async Task<Results<Created<MeetingDto>, ProblemHttpResult>> BookAsync(MeetingBookingRequest request, ClaimsPrincipal user, MeetingBooking booking, CancellationToken cancellationToken)
    {
        var result = await booking.BookAsync(Caller(user), request, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/meetings/{result.Value!.Id}", result.Value) : Problem(result);
    }

    private static async Task<IResult> StatisticsAsync(string? from, string? to, string? format, MeetingQueries queries, CancellationToken cancellationToken)
    {
        var result = await queries.StatisticsAsync(from, to, cancellationToken);
        if (!result.IsSuccess)
        {
            return Problem(result);
        }

        if (!string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Ok(result.Value);
        }

        var csv = new StringBuilder("sig,month,meetings,hours,participants\n");
        foreach (var cell in result.Value!.Cells)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Csv(cell.Sig)},{cell.Month},{cell.Meetings},{cell.Hours},{cell.Participants}\n");
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "meetings.csv");
    }

    // A field quoted when it needs to be, and never read as a formula by a spreadsheet.
    private static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    private static async Task<IResult> RecordingAsync(long id, long recording, MeetingQueries queries, ArtifactStore store, CancellationToken cancellationToken)
    {
        var meeting = await queries.GetAsync(id, cancellationToken);
        if (!meeting.IsSuccess)
        {
            return Problem(meeting);
        }

        return meeting.Value!.Recordings.FirstOrDefault(r => r.Id == recording) is { Sha256: { } sha } && store.OpenRead(sha) is { } file
            ? TypedResults.Stream(file, "video/mp4", $"meeting-{id}-{recording}.mp4", enableRangeProcessing: true)
            : TypedResults.Problem(title: "Not found", detail: $"meeting {id} has no stored recording {recording}", statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ZoomAsync(HttpRequest request, MeetingWebhooks webhooks, CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await WebhookBody.ReadAsync(request, MeetingWebhooks.MaxBody, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var result = await webhooks.ZoomAsync(body!, request.Headers["x-zm-request-timestamp"], request.Headers["x-zm-signature"], cancellationToken);
        return !result.IsSuccess ? Problem(result) : result.Value!.Answer is { } answer ? TypedResults.Ok(answer) : TypedResults.Ok();
    }

    private static IResult TencentVerify(HttpRequest request, MeetingWebhooks webhooks)
    {
        var result = webhooks.TencentVerify(request.Query["check_str"], TencentHeader(request, "Timestamp"), TencentHeader(request, "Nonce"), TencentHeader(request, "Signature"));
        // The answer is the bare text: Tencent refuses one with quotes or a newline.
        return !result.IsSuccess ? Problem(result) : TypedResults.Text((string)result.Value!.Answer!, "text/plain; charset=utf-8");
    }

    private static async Task<IResult> TencentAsync(HttpRequest request, MeetingWebhooks webhooks, CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await WebhookBody.ReadAsync(request, MeetingWebhooks.MaxBody, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var result = await webhooks.TencentAsync(body!, TencentHeader(request, "Timestamp"), TencentHeader(request, "Nonce"), TencentHeader(request, "Signature"), cancellationToken);
        return !result.IsSuccess ? Problem(result) : TypedResults.Text("successfully received callback", "text/plain; charset=utf-8");
    }

    // The callback page's header table names them timestamp, nonce and signature; requests carry them as X-TC-*. Either is read.
    private static string? TencentHeader(HttpRequest request, string name) =>
        request.Headers[$"X-TC-{name}"] is { Count: > 0 } prefixed ? prefixed.ToString() : request.Headers[name.ToLowerInvariant()].ToString() is { Length: > 0 } bare ? bare : null;

    private static async Task<IResult> FeedAsync(string? sig, HttpContext http, MeetingFeeds feeds, CancellationToken cancellationToken)
    {
        var feed = await feeds.FeedAsync(sig, cancellationToken);
        http.Response.Headers.ETag = feed.ETag;
        http.Response.Headers.CacheControl = "public, max-age=300";
        if (http.Request.Headers.IfNoneMatch.ToString().Split(',').Any(tag => tag.Trim() == feed.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Text(feed.Text, "text/calendar; charset=utf-8");
    }
}
