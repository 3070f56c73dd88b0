using Forgeline.Bot.Forges;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Forgeline.Testing.FakeForgeHttp;

namespace Forgeline.Testing;

/// <summary>
/// The fake's GitHub REST v3 routes for issues, labels, comments, assignees, review requests and open/close, following
/// GitHub's documented requests, answers and status codes. Pull-request content, statuses, merges and membership are in
/// <see cref="FakeGitHubRepositoryApi"/>.
/// </summary>
public static class FakeGitHubApi
{
    private const Forge GitHub = Forge.GitHub;

    /// <summary>Maps every GitHub route the bot's client calls onto <paramref name="routes"/> (at the server's root).</summary>
    public static IEndpointRouteBuilder MapGitHub(this IEndpointRouteBuilder routes, FakeForgeState state)
    {
        var repos = routes.MapGroup("/repos/{owner}/{repo}");
        repos.MapGet("/issues/{number:int}", (string owner, string repo, int number) =>
            WithIssue(state, owner, repo, number, issue => Answer(IssueJson(state, owner, repo, issue))));

        repos.MapPatch("/issues/{number:int}", (HttpContext context, string owner, string repo, int number) =>
            Edit(state, context, owner, repo, number, pull: false));

        repos.MapPost("/issues/{number:int}/labels", (HttpContext context, string owner, string repo, int number) =>
            WithIssue(state, owner, repo, number, _ =>
            {
                var body = BodyJson(context);
                var labels = (body.ValueKind == System.Text.Json.JsonValueKind.Array ? StringList(body) : Strings(body, "labels"))
                    ?? LabelObjects(body);
                if (labels is null || labels.Count == 0)
                {
                    return Message(422, "Invalid request: \"labels\" must be a non-empty list of label names.");
                }

                // GitHub creates labels the repository does not have yet.
                state.UpdateRepository(GitHub, $"{owner}/{repo}", r => r with { Labels = r.Labels.Union(labels) });
                var changed = state.UpdateIssue(GitHub, $"{owner}/{repo}", number, i => i with { Labels = i.Labels.AddRange(labels.Except(i.Labels).Distinct()) });
                return Answer(changed.Labels.Select(FakeGitHubJson.Label));
            }));

        repos.MapDelete("/issues/{number:int}/labels/{name}", (HttpContext context, string owner, string repo, int number) =>
            WithIssue(state, owner, repo, number, issue =>
            {
                // The raw target, because routing leaves an escaped slash (kind%2Fbug) escaped.
                var name = Uri.UnescapeDataString(RawTargetPath(context).Split("/labels/", 2)[1]);
                if (!issue.Labels.Contains(name))
                {
                    return Message(404, "Label does not exist");
                }

                var changed = state.UpdateIssue(GitHub, $"{owner}/{repo}", number, i => i with { Labels = i.Labels.Remove(name) });
                return Answer(changed.Labels.Select(FakeGitHubJson.Label));
            }));

        repos.MapPost("/issues/{number:int}/comments", (HttpContext context, string owner, string repo, int number) =>
            WithIssue(state, owner, repo, number, _ =>
            {
                if (String(BodyJson(context), "body") is not { Length: > 0 } text)
                {
                    return Message(422, "Validation Failed: body is missing");
                }

                return Answer(FakeGitHubJson.Comment(state.AddComment(GitHub, $"{owner}/{repo}", number, state.BotLogin, text)), 201);
            }));

        repos.MapPost("/issues/{number:int}/assignees", (HttpContext context, string owner, string repo, int number) =>
            WithIssue(state, owner, repo, number, _ =>
            {
                var logins = Strings(BodyJson(context), "assignees") ?? [];
                // GitHub silently drops people who cannot be assigned (no access to the repository).
                var collaborators = state.Repository(GitHub, $"{owner}/{repo}")!.Collaborators;
                var changed = state.UpdateIssue(GitHub, $"{owner}/{repo}", number, i => i with
                {
                    Assignees = i.Assignees.AddRange(logins.Where(collaborators.Contains).Except(i.Assignees, StringComparer.OrdinalIgnoreCase).Distinct()),
                });
                return Answer(IssueJson(state, owner, repo, changed), 201);
            }));

        repos.MapDelete("/issues/{number:int}/assignees", (HttpContext context, string owner, string repo, int number) =>
            WithIssue(state, owner, repo, number, _ =>
            {
                var logins = Strings(BodyJson(context), "assignees") ?? [];
                var changed = state.UpdateIssue(GitHub, $"{owner}/{repo}", number, i => i with
                {
                    Assignees = i.Assignees.RemoveAll(a => logins.Contains(a, StringComparer.OrdinalIgnoreCase)),
                });
                return Answer(IssueJson(state, owner, repo, changed));
            }));

        repos.MapGet("/pulls/{number:int}", (string owner, string repo, int number) =>
            WithPull(state, owner, repo, number, pull => Answer(FakeGitHubJson.PullRequest($"{owner}/{repo}", pull))));

        repos.MapPatch("/pulls/{number:int}", (HttpContext context, string owner, string repo, int number) =>
            Edit(state, context, owner, repo, number, pull: true));

        repos.MapPost("/pulls/{number:int}/requested_reviewers", (HttpContext context, string owner, string repo, int number) =>
            WithPull(state, owner, repo, number, pull =>
            {
                var reviewers = Strings(BodyJson(context), "reviewers") ?? [];
                if (reviewers.Contains(pull.Author, StringComparer.OrdinalIgnoreCase))
                {
                    return Message(422, "Review cannot be requested from pull request author.");
                }

                var collaborators = state.Repository(GitHub, $"{owner}/{repo}")!.Collaborators;
                if (!reviewers.All(collaborators.Contains))
                {
                    return Message(422, $"Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the {owner}/{repo} repository.");
                }

                var changed = state.UpdateIssue(GitHub, $"{owner}/{repo}", number, i => i with
                {
                    RequestedReviewers = i.RequestedReviewers.AddRange(reviewers.Except(i.RequestedReviewers, StringComparer.OrdinalIgnoreCase).Distinct()),
                });
                return Answer(FakeGitHubJson.PullRequest($"{owner}/{repo}", changed), 201);
            }));

        routes.MapFakeGitHubRepository(state);
        return routes;
    }

    /// <summary>PATCH of an issue or pull request: state (open/closed), title and body.</summary>
    private static IResult Edit(FakeForgeState state, HttpContext context, string owner, string repo, int number, bool pull)
    {
        IResult Change(FakeIssue issue)
        {
            var body = BodyJson(context);
            var wanted = String(body, "state");
            if (wanted is not (null or "open" or "closed"))
            {
                return Message(422, $"Validation Failed: state must be open or closed, not {wanted}");
            }

            if (wanted == "open" && issue.State == "merged")
            {
                return Message(422, "Validation Failed: state cannot be changed. The pull request cannot be reopened because it was merged.");
            }

            var changed = state.UpdateIssue(GitHub, $"{owner}/{repo}", number, i => i with
            {
                State = wanted is null || i.State == "merged" ? i.State : wanted,
                Title = String(body, "title") ?? i.Title,
                Body = String(body, "body") ?? i.Body,
            });
            return Answer(pull ? FakeGitHubJson.PullRequest($"{owner}/{repo}", changed) : IssueJson(state, owner, repo, changed));
        }

        return pull ? WithPull(state, owner, repo, number, Change) : WithIssue(state, owner, repo, number, Change);
    }

    internal static IResult WithIssue(FakeForgeState state, string owner, string repo, int number, Func<FakeIssue, IResult> answer) =>
        state.Atomically(s => s.Issue(GitHub, $"{owner}/{repo}", number) is { } issue ? answer(issue) : Message(404, "Not Found"));

    internal static IResult WithPull(FakeForgeState state, string owner, string repo, int number, Func<FakeIssue, IResult> answer) =>
        state.Atomically(s => s.Issue(GitHub, $"{owner}/{repo}", number) is { IsPullRequest: true } pull ? answer(pull) : Message(404, "Not Found"));

    /// <summary>The request's path exactly as sent (escapes intact), without the query.</summary>
    internal static string RawTargetPath(HttpContext context) =>
        (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString()).Split('?')[0];

    private static object IssueJson(FakeForgeState state, string owner, string repo, FakeIssue issue) =>
        FakeGitHubJson.Issue($"{owner}/{repo}", issue, state.Comments(GitHub, $"{owner}/{repo}", issue.Number).Count);

    /// <summary>GitHub also takes <c>{"labels": [{"name": …}]}</c>.</summary>
    private static List<string>? LabelObjects(System.Text.Json.JsonElement body) =>
        body.ValueKind == System.Text.Json.JsonValueKind.Object && body.TryGetProperty("labels", out var labels) && labels.ValueKind == System.Text.Json.JsonValueKind.Array
            ? labels.EnumerateArray().Select(l => String(l, "name")).OfType<string>().ToList()
            : null;
}
