using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Forgeline.Bot.Forges;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Forgeline.Testing;

/// <summary>
/// The fake's Gitee API v5 routes (mounted under <c>/gitee/api/v5</c>), following Gitee's documented shapes. Issues are
/// named by strings (<c>I4CYEO</c>) on Gitee; the <see cref="FakeForgeState"/> keeps one under the bot's negative number
/// for it (<see cref="IssueNumbering"/>), with its one assignee in <see cref="FakeIssue.Assignees"/> and its
/// collaborators beside the state (<see cref="IssueCollaborators"/>). Pull requests' assignees are Gitee's reviewers.
/// Labels must exist on the repository before they are attached (the stricter of the readings of Gitee's docs).
/// </summary>
public static partial class FakeGiteeApi
{
    private static readonly ConditionalWeakTable<FakeForgeState, ConcurrentDictionary<string, ImmutableList<string>>> Collaborators = [];
    private static readonly ConditionalWeakTable<FakeForgeState, ConcurrentDictionary<string, string>> Permissions = [];

    /// <summary>The collaborators of Gitee issue <paramref name="number"/> (the bot's negative number).</summary>
    public static IReadOnlyList<string> IssueCollaborators(FakeForgeState state, string fullName, int number) =>
        Collaborators.GetValue(state, _ => new()).GetValueOrDefault(IssueKey(fullName, number)) ?? [];

    /// <summary>Gives <paramref name="login"/> a permission (<c>read</c>, <c>write</c>, <c>admin</c>) on the repository, beyond the state's (write) collaborators.</summary>
    public static void SetPermission(FakeForgeState state, string fullName, string login, string permission) =>
        Permissions.GetValue(state, _ => new(StringComparer.OrdinalIgnoreCase))[$"{fullName}\n{login}"] = permission;

    /// <summary>Maps Gitee's routes onto <paramref name="routes"/> (a group already at <c>/gitee/api/v5</c>).</summary>
    public static IEndpointRouteBuilder MapGitee(this IEndpointRouteBuilder routes, FakeForgeState state)
    {
        routes.MapGet("repos/{owner}/{repo}/pulls/{number:int}", (string owner, string repo, int number) =>
            WithPull(state, owner, repo, number, pull => FakeForgeHttp.Answer(PullJson(pull))));
        routes.MapPatch("repos/{owner}/{repo}/pulls/{number:int}", (HttpContext context, string owner, string repo, int number) =>
            WithPull(state, owner, repo, number, pull => UpdatePull(state, $"{owner}/{repo}", pull, FakeForgeHttp.BodyJson(context))));
        routes.MapPost("repos/{owner}/{repo}/pulls/{number:int}/assignees", (HttpContext context, string owner, string repo, int number) =>
            WithPull(state, owner, repo, number, pull => ChangeAssignees(state, $"{owner}/{repo}", pull, FakeForgeHttp.String(FakeForgeHttp.BodyJson(context), "assignees"), add: true)));
        routes.MapDelete("repos/{owner}/{repo}/pulls/{number:int}/assignees", (string owner, string repo, int number, string? assignees) =>
            WithPull(state, owner, repo, number, pull => ChangeAssignees(state, $"{owner}/{repo}", pull, assignees, add: false)));

        routes.MapGet("repos/{owner}/{repo}/issues/{number}", (string owner, string repo, string number) =>
            WithIssue(state, owner, repo, number, issue => FakeForgeHttp.Answer(IssueJson(state, $"{owner}/{repo}", issue))));
        routes.MapPatch("repos/{owner}/issues/{number}", (HttpContext context, string owner, string number) =>
        {
            var body = FakeForgeHttp.BodyJson(context);
            return FakeForgeHttp.String(body, "repo") is not { } repo
                ? FakeForgeHttp.Message(400, "repo is missing")
                : WithIssue(state, owner, repo, number, issue => UpdateIssue(state, $"{owner}/{repo}", issue, body));
        });

        foreach (var kind in new[] { "pulls", "issues" })
        {
            routes.MapPost($"repos/{{owner}}/{{repo}}/{kind}/{{number}}/labels", (HttpContext context, string owner, string repo, string number) =>
                WithItem(state, owner, repo, kind, number, item => AttachLabels(state, $"{owner}/{repo}", item, FakeForgeHttp.BodyJson(context))));
            routes.MapDelete($"repos/{{owner}}/{{repo}}/{kind}/{{number}}/labels/{{name}}", (string owner, string repo, string number, string name) =>
                WithItem(state, owner, repo, kind, number, item => DetachLabel(state, $"{owner}/{repo}", item, name)));
            routes.MapPost($"repos/{{owner}}/{{repo}}/{kind}/{{number}}/comments", (HttpContext context, string owner, string repo, string number) =>
                WithItem(state, owner, repo, kind, number, item => AddComment(state, $"{owner}/{repo}", item, FakeForgeHttp.BodyJson(context))));
        }

        MapRepository(routes, state);
        return routes;
    }

    private static string IssueKey(string fullName, int number) => $"{fullName.ToLowerInvariant()}#{number}";

    private static IResult WithPull(FakeForgeState state, string owner, string repo, int number, Func<FakeIssue, IResult> handle) =>
        WithItem(state, owner, repo, "pulls", number.ToString(System.Globalization.CultureInfo.InvariantCulture), handle);

    private static IResult WithIssue(FakeForgeState state, string owner, string repo, string number, Func<FakeIssue, IResult> handle) =>
        WithItem(state, owner, repo, "issues", number, handle);

    /// <summary>Runs <paramref name="handle"/> on pull request (<c>pulls</c>, a number) or issue (<c>issues</c>, a string) <paramref name="number"/>; 404 otherwise.</summary>
    private static IResult WithItem(FakeForgeState state, string owner, string repo, string kind, string number, Func<FakeIssue, IResult> handle)
    {
        var fullName = $"{owner}/{repo}";
        if (state.Repository(Forge.Gitee, fullName) is null)
        {
            return FakeForgeHttp.Message(404, "Not Found Project");
        }

        int? key = kind == "pulls"
            ? int.TryParse(number, out var n) && n > 0 ? n : null
            : TryIssueNumber(number);
        return key is { } found && state.Issue(Forge.Gitee, fullName, found) is { } item && item.IsPullRequest == (kind == "pulls")
            ? handle(item)
            : FakeForgeHttp.Message(404, kind == "pulls" ? "Not Found PullRequest" : "Not Found Issue");
    }

    private static int? TryIssueNumber(string number)
    {
        try
        {
            return IssueNumbering.FromGiteeIssue(number);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IResult UpdatePull(FakeForgeState state, string fullName, FakeIssue pull, JsonElement body)
    {
        var wanted = FakeForgeHttp.String(body, "state");
        if (wanted is not (null or "open" or "closed"))
        {
            return FakeForgeHttp.Message(400, "state does not have a valid value");
        }

        if (wanted is not null && pull.State == "merged")
        {
            return FakeForgeHttp.Message(400, "A merged Pull Request cannot be closed or reopened");
        }

        var updated = state.UpdateIssue(Forge.Gitee, fullName, pull.Number, p => p with { State = wanted ?? p.State });
        return FakeForgeHttp.Answer(PullJson(updated));
    }

    private static IResult ChangeAssignees(FakeForgeState state, string fullName, FakeIssue pull, string? logins, bool add)
    {
        var people = logins?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (people.Length == 0)
        {
            return FakeForgeHttp.Message(400, "assignees is missing");
        }

        var updated = state.UpdateIssue(Forge.Gitee, fullName, pull.Number, p => p with
        {
            Assignees = add ? p.Assignees.AddRange(people.Where(a => !p.Assignees.Contains(a))) : p.Assignees.RemoveAll(people.Contains),
        });
        return FakeForgeHttp.Answer(PullJson(updated), add ? 201 : 200);
    }

    private static IResult UpdateIssue(FakeForgeState state, string fullName, FakeIssue issue, JsonElement body)
    {
        var wanted = FakeForgeHttp.String(body, "state");
        if (wanted is not (null or "open" or "progressing" or "closed" or "rejected"))
        {
            return FakeForgeHttp.Message(400, "state does not have a valid value");
        }

        var assignee = FakeForgeHttp.String(body, "assignee");
        var updated = state.UpdateIssue(Forge.Gitee, fullName, issue.Number, i => i with
        {
            State = wanted switch { null => i.State, "open" or "progressing" => "open", _ => "closed" },
            Assignees = assignee switch { null => i.Assignees, "" => [], _ => [assignee] },
        });
        if (FakeForgeHttp.String(body, "collaborators") is { } collaborators)
        {
            Collaborators.GetValue(state, _ => new())[IssueKey(fullName, issue.Number)] =
                [.. collaborators.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return FakeForgeHttp.Answer(IssueJson(state, fullName, updated));
    }

    private static IResult AttachLabels(FakeForgeState state, string fullName, FakeIssue item, JsonElement body)
    {
        if (FakeForgeHttp.StringList(body) is not { Count: > 0 } labels)
        {
            return FakeForgeHttp.Message(400, "body must be a list of label names");
        }

        var defined = state.Repository(Forge.Gitee, fullName)!.Labels;
        if (labels.FirstOrDefault(l => !defined.Contains(l)) is { } missing)
        {
            return FakeForgeHttp.Message(400, $"Label '{missing}' does not exist in the repository");
        }

        var updated = state.UpdateIssue(Forge.Gitee, fullName, item.Number, i => i with { Labels = i.Labels.AddRange(labels.Where(l => !i.Labels.Contains(l)).Distinct()) });
        return FakeForgeHttp.Answer(updated.Labels.Select(LabelJson).ToList(), 201);
    }

    private static IResult DetachLabel(FakeForgeState state, string fullName, FakeIssue item, string name)
    {
        if (!item.Labels.Contains(name))
        {
            return FakeForgeHttp.Message(404, "Not Found Label");
        }

        state.UpdateIssue(Forge.Gitee, fullName, item.Number, i => i with { Labels = i.Labels.Remove(name) });
        return Results.NoContent();
    }

    private static IResult AddComment(FakeForgeState state, string fullName, FakeIssue item, JsonElement body)
    {
        if (FakeForgeHttp.String(body, "body") is not { Length: > 0 } text)
        {
            return FakeForgeHttp.Message(400, "body is missing");
        }

        var comment = state.AddComment(Forge.Gitee, fullName, item.Number, state.BotLogin, text);
        return FakeForgeHttp.Answer(new { id = comment.Id, body = comment.Body, user = User(comment.Author), created_at = comment.CreatedAt }, 201);
    }

    private static object PullJson(FakeIssue pull) => new
    {
        id = 900_000 + pull.Number,
        number = pull.Number,
        state = pull.State,
        title = pull.Title,
        body = pull.Body.Length > 0 ? pull.Body : null,
        user = User(pull.Author),
        labels = pull.Labels.Select(LabelJson).ToList(),
        assignees = pull.Assignees.Select(User).ToList(),
        testers = Array.Empty<object>(),
        milestone = pull.Milestone is null ? null : new { number = 1, title = pull.Milestone },
        head = new { label = pull.HeadRef, @ref = pull.HeadRef, sha = pull.HeadSha },
        @base = new { label = pull.BaseRef, @ref = pull.BaseRef },
        mergeable = pull.Mergeable,
    };

    private static object IssueJson(FakeForgeState state, string fullName, FakeIssue issue) => new
    {
        id = 7_000_000 - issue.Number,
        number = IssueNumbering.ToGiteeIssue(issue.Number),
        state = issue.State,
        title = issue.Title,
        body = issue.Body.Length > 0 ? issue.Body : null,
        user = User(issue.Author),
        labels = issue.Labels.Select(LabelJson).ToList(),
        assignee = issue.Assignees.Count > 0 ? User(issue.Assignees[0]) : null,
        collaborators = IssueCollaborators(state, fullName, issue.Number).Select(User).ToList(),
        milestone = issue.Milestone is null ? null : new { number = 1, title = issue.Milestone },
    };

    private static object User(string login) => new { login, name = login, type = "User" };

    private static object LabelJson(string name) => new { id = (long)(uint)name.GetHashCode(StringComparison.Ordinal), name, color = "EDEDED" };
}
