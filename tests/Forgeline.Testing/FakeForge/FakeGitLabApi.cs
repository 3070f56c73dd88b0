using System.Runtime.CompilerServices;
using System.Text.Json;
using Forgeline.Bot.Forges;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Forgeline.Testing;

/// <summary>
/// The fake's GitLab REST v4 routes (mounted under <c>/gitlab/api/v4</c>), following GitLab's documented shapes: projects
/// by URL-encoded full path (<c>group%2Fsub%2Fname</c>; an unencoded path matches nothing, as on GitLab), merge requests
/// and issues by iid. In the <see cref="FakeForgeState"/> a merge request is kept under its iid and an issue under the
/// bot's negative number for it (<see cref="IssueNumbering"/>), since GitLab numbers the two apart. People are named by
/// id (<see cref="AddUser"/>); collaborators are Developers (30) unless <see cref="SetAccessLevel"/> says otherwise.
/// </summary>
public static partial class FakeGitLabApi
{
    private const int DeveloperAccess = 30;
    private static readonly ConditionalWeakTable<FakeForgeState, FakeGitLabUsers> Directories = [];

    /// <summary>Registers a GitLab user (the fake's <c>/users?username=</c> finds only registered ones) and returns their id.</summary>
    public static long AddUser(FakeForgeState state, string login) => Users(state).IdOf(login);

    /// <summary>Gives <paramref name="login"/> an access level (10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner) on a project or group.</summary>
    public static void SetAccessLevel(FakeForgeState state, string path, string login, int level)
    {
        Users(state).IdOf(login);
        Users(state).SetAccessLevel(path.ToLowerInvariant(), login, level);
    }

    /// <summary>Maps GitLab's routes onto <paramref name="routes"/> (a group already at <c>/gitlab/api/v4</c>).</summary>
    public static IEndpointRouteBuilder MapGitLab(this IEndpointRouteBuilder routes, FakeForgeState state)
    {
        routes.MapGet("users", (string? username) =>
            FakeForgeHttp.Answer(username is not null && Users(state).Find(username) is { } id
                ? new[] { new { id, username, name = username, state = "active" } }
                : []));

        routes.MapGet("projects/{id}/merge_requests/{iid:int}", (string id, int iid) =>
            WithItem(state, id, iid, isMergeRequest: true, (project, item) => FakeForgeHttp.Answer(ItemJson(state, project, item))));
        routes.MapPut("projects/{id}/merge_requests/{iid:int}", (HttpContext context, string id, int iid) =>
            WithItem(state, id, iid, isMergeRequest: true, (project, item) => Update(state, project, item, FakeForgeHttp.BodyJson(context))));
        routes.MapPost("projects/{id}/merge_requests/{iid:int}/notes", (HttpContext context, string id, int iid) =>
            WithItem(state, id, iid, isMergeRequest: true, (project, item) => AddNote(state, project, item, FakeForgeHttp.BodyJson(context))));

        routes.MapGet("projects/{id}/issues/{iid:int}", (string id, int iid) =>
            WithItem(state, id, iid, isMergeRequest: false, (project, item) => FakeForgeHttp.Answer(ItemJson(state, project, item))));
        routes.MapPut("projects/{id}/issues/{iid:int}", (HttpContext context, string id, int iid) =>
            WithItem(state, id, iid, isMergeRequest: false, (project, item) => Update(state, project, item, FakeForgeHttp.BodyJson(context))));
        routes.MapPost("projects/{id}/issues/{iid:int}/notes", (HttpContext context, string id, int iid) =>
            WithItem(state, id, iid, isMergeRequest: false, (project, item) => AddNote(state, project, item, FakeForgeHttp.BodyJson(context))));

        MapRepository(routes, state);
        MapMembers(routes, state);
        return routes;
    }

    internal static FakeGitLabUsers Users(FakeForgeState state) => Directories.GetValue(state, _ => new FakeGitLabUsers());

    /// <summary>Runs <paramref name="handle"/> on the project and its merge request or issue <paramref name="iid"/>; 404 as GitLab words it otherwise.</summary>
    private static IResult WithItem(FakeForgeState state, string id, int iid, bool isMergeRequest, Func<FakeRepository, FakeIssue, IResult> handle)
    {
        if (Project(state, id) is not { } project)
        {
            return FakeForgeHttp.Message(404, "404 Project Not Found");
        }

        var number = isMergeRequest ? iid : -iid;
        return iid > 0 && state.Issue(Forge.GitLab, project.FullName, number) is { } item && item.IsPullRequest == isMergeRequest
            ? handle(project, item)
            : FakeForgeHttp.Message(404, isMergeRequest ? "404 Merge Request Not Found" : "404 Issue Not Found");
    }

    /// <summary>The project a route's <c>{id}</c> names: the full path, which arrives still URL-encoded.</summary>
    private static FakeRepository? Project(FakeForgeState state, string id) =>
        state.Repository(Forge.GitLab, Uri.UnescapeDataString(id));

    private static IResult Update(FakeForgeState state, FakeRepository project, FakeIssue item, JsonElement body)
    {
        var users = Users(state);
        var added = Csv(FakeForgeHttp.String(body, "add_labels"));
        var removed = Csv(FakeForgeHttp.String(body, "remove_labels"));
        var stateEvent = FakeForgeHttp.String(body, "state_event");
        if (stateEvent is not (null or "close" or "reopen"))
        {
            return FakeForgeHttp.Message(400, "state_event does not have a valid value");
        }

        if (Ids(body, "reviewer_ids") is not null && !item.IsPullRequest)
        {
            return FakeForgeHttp.Message(400, "reviewer_ids is not a valid parameter for issues");
        }

        // GitLab creates the project labels that an update names and the project lacks.
        state.UpdateRepository(Forge.GitLab, project.FullName, p => p with { Labels = p.Labels.Union(added) });
        var updated = state.UpdateIssue(Forge.GitLab, project.FullName, item.Number, current => current with
        {
            Labels = current.Labels.AddRange(added.Where(l => !current.Labels.Contains(l))).RemoveAll(removed.Contains),
            Assignees = Ids(body, "assignee_ids") is { } assignees ? [.. People(users, assignees)] : current.Assignees,
            RequestedReviewers = Ids(body, "reviewer_ids") is { } reviewers ? [.. People(users, reviewers)] : current.RequestedReviewers,
            State = (stateEvent, current.State) switch
            {
                ("close", "open") => "closed",
                ("reopen", "closed") => "open",
                _ => current.State,
            },
        });
        return FakeForgeHttp.Answer(ItemJson(state, project, updated));
    }

    private static IResult AddNote(FakeForgeState state, FakeRepository project, FakeIssue item, JsonElement body)
    {
        if (FakeForgeHttp.String(body, "body") is not { Length: > 0 } text)
        {
            return FakeForgeHttp.Message(400, "400 Bad request - body is missing");
        }

        var note = state.AddComment(Forge.GitLab, project.FullName, item.Number, state.BotLogin, text);
        return FakeForgeHttp.Answer(
            new { id = note.Id, body = note.Body, author = User(state, note.Author), created_at = note.CreatedAt, system = false },
            201);
    }

    private static object ItemJson(FakeForgeState state, FakeRepository project, FakeIssue item)
    {
        var iid = item.IsPullRequest ? item.Number : -item.Number;
        var common = new Dictionary<string, object?>
        {
            ["id"] = 10_000 + iid,
            ["iid"] = iid,
            ["title"] = item.Title,
            ["description"] = item.Body.Length > 0 ? item.Body : null,
            ["state"] = item.State == "open" ? "opened" : item.State,
            ["author"] = User(state, item.Author),
            ["assignees"] = item.Assignees.Select(a => User(state, a)).ToList(),
            ["assignee"] = item.Assignees.Count > 0 ? User(state, item.Assignees[0]) : null,
            ["labels"] = item.Labels,
            ["milestone"] = item.Milestone is null ? null : new { id = 1, title = item.Milestone },
            ["web_url"] = $"https://gitlab.example/{project.FullName}/-/{(item.IsPullRequest ? "merge_requests" : "issues")}/{iid}",
        };
        if (item.IsPullRequest)
        {
            common["reviewers"] = item.RequestedReviewers.Select(r => User(state, r)).ToList();
            common["sha"] = item.HeadSha;
            common["source_branch"] = item.HeadRef;
            common["target_branch"] = item.BaseRef;
            common["draft"] = IsDraft(item);
            common["has_conflicts"] = item.Mergeable == false;
            common["detailed_merge_status"] = item.Mergeable switch { null => "checking", true => "mergeable", false => "conflict" };
            common["merge_status"] = item.Mergeable switch { null => "checking", true => "can_be_merged", false => "cannot_be_merged" };
        }

        return common;
    }

    private static object User(FakeForgeState state, string login) =>
        new { id = Users(state).IdOf(login), username = login, name = login, state = "active" };

    private static bool IsDraft(FakeIssue item) =>
        item.Title.StartsWith("Draft:", StringComparison.OrdinalIgnoreCase) || item.Title.StartsWith("[Draft]", StringComparison.OrdinalIgnoreCase);

    private static List<string> Csv(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];

    /// <summary>An id list parameter: a JSON array of numbers (0 alone, or none, clears).</summary>
    private static List<long>? Ids(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetInt64()).Where(v => v != 0).ToList()
            : null;

    private static IEnumerable<string> People(FakeGitLabUsers users, List<long> ids) =>
        ids.Select(users.LoginOf).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase);
}
