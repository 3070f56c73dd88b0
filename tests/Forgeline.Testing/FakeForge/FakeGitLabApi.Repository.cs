using System.Globalization;
using System.Text;
using System.Text.Json;
using Forgeline.Bot.Forges;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Forgeline.Testing;

/// <summary>The fake GitLab's files, merge request diffs and commits, commit statuses, merges and memberships.</summary>
public static partial class FakeGitLabApi
{
    private static readonly string[] StatusStates = ["pending", "running", "success", "failed", "canceled"];

    private static void MapRepository(IEndpointRouteBuilder routes, FakeForgeState state)
    {
        routes.MapGet("projects/{id}/repository/files/{path}", (string id, string path, string? @ref) =>
        {
            if (Project(state, id) is not { } project)
            {
                return FakeForgeHttp.Message(404, "404 Project Not Found");
            }

            if (string.IsNullOrEmpty(@ref))
            {
                return Results.Json(new { error = "ref is missing" }, FakeForgeHttp.Json, statusCode: 400);
            }

            var filePath = Uri.UnescapeDataString(path);
            // GitLab resolves HEAD to the default branch.
            if (project.File(@ref == "HEAD" ? project.DefaultBranch : @ref, filePath) is not { } text)
            {
                return FakeForgeHttp.Message(404, "404 File Not Found");
            }

            var bytes = Encoding.UTF8.GetBytes(text);
            return FakeForgeHttp.Answer(new
            {
                file_name = filePath[(filePath.LastIndexOf('/') + 1)..],
                file_path = filePath,
                size = bytes.Length,
                encoding = "base64",
                content = Convert.ToBase64String(bytes),
                @ref,
                blob_id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..40],
            });
        });

        routes.MapGet("projects/{id}/merge_requests/{iid:int}/diffs", (HttpContext context, string id, int iid) =>
            WithItem(state, id, iid, isMergeRequest: true, (_, item) => Paged(context, item.ChangedFiles.Select(file => (object)new
            {
                old_path = file.PreviousPath ?? file.Path,
                new_path = file.Path,
                new_file = file.Status == "added",
                renamed_file = file.PreviousPath is not null,
                deleted_file = file.Status == "removed",
                diff = "",
            }).ToList())));

        routes.MapGet("projects/{id}/merge_requests/{iid:int}/commits", (HttpContext context, string id, int iid) =>
            WithItem(state, id, iid, isMergeRequest: true, (_, item) => Paged(context, item.Commits.Select(commit => (object)new
            {
                id = commit.Sha,
                short_id = commit.Sha[..Math.Min(8, commit.Sha.Length)],
                title = commit.Message.Split('\n')[0],
                message = commit.Message,
                author_name = commit.AuthorName,
                author_email = commit.AuthorEmail,
                committer_name = commit.AuthorName,
                committer_email = commit.AuthorEmail,
            }).ToList())));

        routes.MapPost("projects/{id}/statuses/{sha}", (HttpContext context, string id, string sha) => SetStatus(state, context, id, sha));
        routes.MapGet("projects/{id}/repository/commits/{sha}/statuses", (HttpContext context, string id, string sha, bool? all) =>
        {
            if (Project(state, id) is not { } project)
            {
                return FakeForgeHttp.Message(404, "404 Project Not Found");
            }

            var history = state.Statuses(Forge.GitLab, project.FullName, sha).Select((status, index) => (Status: status, Id: index + 1)).ToList();
            var shown = all == true ? history : history.AsEnumerable().Reverse().DistinctBy(s => s.Status.Context).Reverse().ToList();
            return Paged(context, shown.Select(s => StatusJson(s.Status, s.Id, sha)).ToList());
        });

        routes.MapPut("projects/{id}/merge_requests/{iid:int}/merge", (HttpContext context, string id, int iid) =>
            WithItem(state, id, iid, isMergeRequest: true, (project, item) => Merge(state, project, item, FakeForgeHttp.BodyJson(context))));
    }

    private static void MapMembers(IEndpointRouteBuilder routes, FakeForgeState state)
    {
        routes.MapGet("projects/{id}/members/all/{userId:long}", (string id, long userId) =>
        {
            if (Project(state, id) is not { } project)
            {
                return FakeForgeHttp.Message(404, "404 Project Not Found");
            }

            var login = Users(state).LoginOf(userId);
            var level = login is null ? null : Max(
                project.Collaborators.Contains(login) ? DeveloperAccess : null,
                Users(state).AccessLevel(project.FullName.ToLowerInvariant(), login),
                GroupLevel(state, project.Owner, login));
            return level is { } found ? FakeForgeHttp.Answer(Member(userId, login!, found)) : FakeForgeHttp.Message(404, "404 Not found");
        });

        routes.MapGet("groups/{id}/members/all/{userId:long}", (string id, long userId) =>
        {
            var login = Users(state).LoginOf(userId);
            return login is not null && GroupLevel(state, Uri.UnescapeDataString(id), login) is { } level
                ? FakeForgeHttp.Answer(Member(userId, login, level))
                : FakeForgeHttp.Message(404, "404 Not found");
        });
    }

    /// <summary>A user's level in a group, counting memberships inherited from its parent groups (as <c>members/all</c> does).</summary>
    private static int? GroupLevel(FakeForgeState state, string group, string login)
    {
        int? level = null;
        var segments = group.Split('/');
        for (var depth = 1; depth <= segments.Length; depth++)
        {
            var path = string.Join('/', segments[..depth]);
            level = Max(level, state.IsOrgMember(Forge.GitLab, path, login) ? DeveloperAccess : null, Users(state).AccessLevel(path.ToLowerInvariant(), login));
        }

        return level;
    }

    private static int? Max(params int?[] levels) => levels.Where(l => l is not null).Max();

    private static object Member(long id, string login, int level) =>
        new { id, username = login, name = login, state = "active", access_level = level };

    private static IResult SetStatus(FakeForgeState state, HttpContext context, string id, string sha)
    {
        if (Project(state, id) is not { } project)
        {
            return FakeForgeHttp.Message(404, "404 Project Not Found");
        }

        var body = FakeForgeHttp.BodyJson(context);
        var wanted = FakeForgeHttp.String(body, "state");
        if (wanted is null || !StatusStates.Contains(wanted))
        {
            return Results.Json(new { error = "state does not have a valid value" }, FakeForgeHttp.Json, statusCode: 400);
        }

        var name = FakeForgeHttp.String(body, "name") ?? "default";
        var current = state.LatestStatuses(Forge.GitLab, project.FullName, sha).FirstOrDefault(s => s.Context == name);
        if (current?.State == wanted)
        {
            // What GitLab answers when a status is set again to the state it is in.
            var verb = wanted switch { "pending" => "enqueue", "running" => "run", "failed" => "drop", "canceled" => "cancel", _ => wanted };
            return FakeForgeHttp.Message(400, $"Cannot transition status via :{verb} from :{current.State} (Reason(s): Status cannot transition via \"{verb}\")");
        }

        var status = state.AddStatus(Forge.GitLab, project.FullName, sha, name, wanted, FakeForgeHttp.String(body, "description") ?? "", FakeForgeHttp.String(body, "target_url"));
        return FakeForgeHttp.Answer(StatusJson(status, state.Statuses(Forge.GitLab, project.FullName, sha).Count, sha), 201);
    }

    private static object StatusJson(FakeStatus status, int id, string sha) => new
    {
        id,
        sha,
        status = status.State,
        name = status.Context,
        description = status.Description,
        target_url = status.TargetUrl,
        created_at = status.CreatedAt,
        allow_failure = false,
    };

    private static IResult Merge(FakeForgeState state, FakeRepository project, FakeIssue item, JsonElement body)
    {
        // The order of GitLab's checks: mergeable state first (405), then conflicts (406), then the pinned head (409).
        if (item.State != "open" || IsDraft(item))
        {
            return FakeForgeHttp.Message(405, "405 Method Not Allowed");
        }

        if (item.Mergeable == false)
        {
            return FakeForgeHttp.Message(406, "Branch cannot be merged");
        }

        if (FakeForgeHttp.String(body, "sha") is { } sha && sha != item.HeadSha)
        {
            return FakeForgeHttp.Message(409, "SHA does not match HEAD of source branch: " + item.HeadSha);
        }

        var squash = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("squash", out var s) && s.ValueKind == JsonValueKind.True;
        var merged = state.Atomically(s2 =>
        {
            s2.AddMerge(new FakeMerge(Forge.GitLab, project.FullName, item.Number, item.HeadSha, squash ? "squash" : "merge"));
            return s2.UpdateIssue(Forge.GitLab, project.FullName, item.Number, i => i with { State = "merged" });
        });
        return FakeForgeHttp.Answer(ItemJson(state, project, merged));
    }

    /// <summary>One page of a list, with GitLab's paging headers (<c>X-Next-Page</c>, <c>X-Total-Pages</c>, … and <c>Link</c>).</summary>
    private static IResult Paged(HttpContext context, IReadOnlyList<object> items)
    {
        var page = FakeForgeHttp.Page(context.Request, items, defaultPerPage: 20);
        var headers = context.Response.Headers;
        headers["X-Page"] = page.Number.ToString(CultureInfo.InvariantCulture);
        headers["X-Per-Page"] = page.PerPage.ToString(CultureInfo.InvariantCulture);
        headers["X-Total"] = page.Total.ToString(CultureInfo.InvariantCulture);
        headers["X-Total-Pages"] = page.LastPage.ToString(CultureInfo.InvariantCulture);
        headers["X-Next-Page"] = page.HasNext ? (page.Number + 1).ToString(CultureInfo.InvariantCulture) : "";
        var links = new List<string>();
        if (page.HasNext)
        {
            links.Add($"<{FakeForgeHttp.PageUrl(context.Request, page.Number + 1)}>; rel=\"next\"");
        }

        links.Add($"<{FakeForgeHttp.PageUrl(context.Request, 1)}>; rel=\"first\"");
        links.Add($"<{FakeForgeHttp.PageUrl(context.Request, page.LastPage)}>; rel=\"last\"");
        headers.Link = string.Join(", ", links);
        return FakeForgeHttp.Answer(page.Items);
    }
}
