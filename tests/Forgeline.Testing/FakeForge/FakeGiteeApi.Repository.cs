using System.Globalization;
using System.Text;
using System.Text.Json;
using Forgeline.Bot.Forges;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Forgeline.Testing;

/// <summary>
/// The fake Gitee's repository labels, contents, pull request files and commits, check runs, merges and memberships. A
/// check run is kept as a <see cref="FakeStatus"/> whose state is its status (<c>queued</c>, <c>in_progress</c>) or, once
/// completed, its conclusion.
/// </summary>
public static partial class FakeGiteeApi
{
    // Gitee's documented caps: 300 files and 250 commits per pull request, in one answer.
    private const int MaxFiles = 300;
    private const int MaxCommits = 250;
    private static readonly string[] CheckStatuses = ["queued", "in_progress", "completed"];
    private static readonly string[] CheckConclusions = ["neutral", "success", "failure", "cancelled", "action_required", "timed_out", "skipped"];

    private static void MapRepository(IEndpointRouteBuilder routes, FakeForgeState state)
    {
        routes.MapGet("repos/{owner}/{repo}/labels", (HttpContext context, string owner, string repo) =>
            state.Repository(Forge.Gitee, $"{owner}/{repo}") is { } repository
                ? Paged(context, repository.Labels.Order(StringComparer.Ordinal).Select(LabelJson).ToList())
                : FakeForgeHttp.Message(404, "Not Found Project"));
        routes.MapPost("repos/{owner}/{repo}/labels", (HttpContext context, string owner, string repo) => CreateLabel(state, $"{owner}/{repo}", FakeForgeHttp.BodyJson(context)));

        routes.MapGet("repos/{owner}/{repo}/contents/{**path}", (string owner, string repo, string path, string? @ref) =>
        {
            if (state.Repository(Forge.Gitee, $"{owner}/{repo}") is not { } repository)
            {
                return FakeForgeHttp.Message(404, "Not Found Project");
            }

            var files = repository.Files.GetValueOrDefault(@ref ?? repository.DefaultBranch);
            if (files?.GetValueOrDefault(path) is { } text)
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                return FakeForgeHttp.Answer(new { type = "file", encoding = "base64", size = bytes.Length, name = path.Split('/')[^1], path, content = Convert.ToBase64String(bytes) });
            }

            // A directory answers with its entries, as Gitee's contents API does.
            var entries = files?.Keys.Where(p => p.StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal)).ToList() ?? [];
            return entries.Count > 0
                ? FakeForgeHttp.Answer(entries.Select(p => new { type = "file", name = p.Split('/')[^1], path = p }).ToList())
                : FakeForgeHttp.Message(404, "Not Found");
        });

        routes.MapGet("repos/{owner}/{repo}/pulls/{number:int}/files", (string owner, string repo, int number) =>
            WithPull(state, owner, repo, number, pull => FakeForgeHttp.Answer(pull.ChangedFiles.Take(MaxFiles).Select(file => new
            {
                sha = pull.HeadSha,
                filename = file.Path,
                status = file.Status,
                additions = "1",
                deletions = "0",
                patch = new
                {
                    diff = "",
                    old_path = file.PreviousPath ?? file.Path,
                    new_path = file.Path,
                    new_file = file.Status == "added",
                    renamed_file = file.PreviousPath is not null,
                    deleted_file = file.Status == "removed",
                },
            }).ToList())));

        routes.MapGet("repos/{owner}/{repo}/pulls/{number:int}/commits", (string owner, string repo, int number) =>
            WithPull(state, owner, repo, number, pull => FakeForgeHttp.Answer(pull.Commits.Take(MaxCommits).Select(commit => new
            {
                sha = commit.Sha,
                commit = new
                {
                    author = new { name = commit.AuthorName, email = commit.AuthorEmail, date = pull.CreatedAt },
                    committer = new { name = commit.AuthorName, email = commit.AuthorEmail, date = pull.CreatedAt },
                    message = commit.Message,
                },
                author = commit.AuthorLogin is null ? null : User(commit.AuthorLogin),
            }).ToList())));

        routes.MapPut("repos/{owner}/{repo}/pulls/{number:int}/merge", (HttpContext context, string owner, string repo, int number) =>
            WithPull(state, owner, repo, number, pull => Merge(state, $"{owner}/{repo}", pull, FakeForgeHttp.BodyJson(context))));

        routes.MapPost("repos/{owner}/{repo}/check-runs", (HttpContext context, string owner, string repo) => CreateCheckRun(state, $"{owner}/{repo}", FakeForgeHttp.BodyJson(context)));
        routes.MapGet("repos/{owner}/{repo}/commits/{sha}/check-runs", (HttpContext context, string owner, string repo, string sha, string? filter) =>
        {
            if (state.Repository(Forge.Gitee, $"{owner}/{repo}") is null)
            {
                return FakeForgeHttp.Message(404, "Not Found Project");
            }

            var runs = state.Statuses(Forge.Gitee, $"{owner}/{repo}", sha).Select((run, index) => (Run: run, Id: index + 1)).ToList();
            var shown = filter == "all" ? runs : runs.AsEnumerable().Reverse().DistinctBy(r => r.Run.Context).Reverse().ToList();
            return Paged(context, shown.Select(r => CheckRunJson(r.Run, r.Id, sha)).ToList());
        });

        routes.MapGet("repos/{owner}/{repo}/collaborators/{username}/permission", (string owner, string repo, string username) =>
        {
            var fullName = $"{owner}/{repo}";
            if (state.Repository(Forge.Gitee, fullName) is not { } repository)
            {
                return FakeForgeHttp.Message(404, "Not Found Project");
            }

            var permission = Permissions.GetValue(state, _ => new(StringComparer.OrdinalIgnoreCase)).GetValueOrDefault($"{fullName}\n{username}")
                ?? (repository.Collaborators.Contains(username) ? "write" : null);
            return permission is null
                ? FakeForgeHttp.Message(404, "Not Found User")
                : FakeForgeHttp.Answer(new { login = username, name = username, type = "User", permission });
        });

        routes.MapGet("orgs/{org}/memberships/{username}", (string org, string username) =>
            state.IsOrgMember(Forge.Gitee, org, username)
                ? FakeForgeHttp.Answer(new { active = true, role = "member", organization = new { login = org }, user = User(username) })
                : FakeForgeHttp.Message(404, "Not Found"));
    }

    private static IResult CreateLabel(FakeForgeState state, string fullName, JsonElement body)
    {
        var name = FakeForgeHttp.String(body, "name");
        var color = FakeForgeHttp.String(body, "color");
        if (string.IsNullOrEmpty(name) || color is null || color.TrimStart('#').Length != 6 || !color.TrimStart('#').All(char.IsAsciiHexDigit))
        {
            return FakeForgeHttp.Message(400, "name and color (six hex digits) are required");
        }

        if (state.Repository(Forge.Gitee, fullName) is not { } repository)
        {
            return FakeForgeHttp.Message(404, "Not Found Project");
        }

        if (repository.Labels.Contains(name))
        {
            return FakeForgeHttp.Message(400, $"Label '{name}' already exists");
        }

        state.UpdateRepository(Forge.Gitee, fullName, r => r with { Labels = r.Labels.Add(name) });
        return FakeForgeHttp.Answer(LabelJson(name), 201);
    }

    private static IResult CreateCheckRun(FakeForgeState state, string fullName, JsonElement body)
    {
        var name = FakeForgeHttp.String(body, "name");
        var sha = FakeForgeHttp.String(body, "head_sha");
        var status = FakeForgeHttp.String(body, "status") ?? "queued";
        var conclusion = FakeForgeHttp.String(body, "conclusion");
        var output = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("output", out var o) ? o : default;
        var title = FakeForgeHttp.String(output, "title");
        var problems = new (bool Wrong, string Message)[]
        {
            (string.IsNullOrEmpty(name), "name is missing"),
            (string.IsNullOrEmpty(sha), "head_sha is missing"),
            (!CheckStatuses.Contains(status), "status does not have a valid value"),
            (conclusion is not null && !CheckConclusions.Contains(conclusion), "conclusion does not have a valid value"),
            (status == "completed" && conclusion is null, "conclusion is required when status is completed"),
            (title is null || FakeForgeHttp.String(output, "summary") is null, "output[title], output[summary] are missing"),
        }.Where(p => p.Wrong).Select(p => p.Message).ToList();
        if (problems.Count > 0)
        {
            return FakeForgeHttp.Message(400, string.Join(", ", problems));
        }

        if (state.Repository(Forge.Gitee, fullName) is null)
        {
            return FakeForgeHttp.Message(404, "Not Found Project");
        }

        var run = state.AddStatus(Forge.Gitee, fullName, sha!, name!, status == "completed" ? conclusion! : status, title!, FakeForgeHttp.String(body, "details_url"));
        return FakeForgeHttp.Answer(CheckRunJson(run, state.Statuses(Forge.Gitee, fullName, sha!).Count, sha!), 201);
    }

    private static object CheckRunJson(FakeStatus run, int id, string sha)
    {
        var running = run.State is "queued" or "in_progress";
        return new
        {
            id,
            head_sha = sha,
            name = run.Context,
            status = running ? run.State : "completed",
            conclusion = running ? null : run.State,
            details_url = run.TargetUrl,
            started_at = run.CreatedAt,
            completed_at = running ? (DateTimeOffset?)null : run.CreatedAt,
            output = new { title = run.Description, summary = run.Description },
        };
    }

    private static IResult Merge(FakeForgeState state, string fullName, FakeIssue pull, JsonElement body)
    {
        var method = FakeForgeHttp.String(body, "merge_method") ?? "merge";
        if (method is not ("merge" or "squash" or "rebase"))
        {
            return FakeForgeHttp.Message(400, "merge_method does not have a valid value");
        }

        if (pull.State != "open")
        {
            return FakeForgeHttp.Message(400, $"The Pull Request is {pull.State}, it cannot be merged");
        }

        if (pull.Mergeable == false)
        {
            return FakeForgeHttp.Message(400, "The Pull Request conflicts with its base branch, it cannot be merged");
        }

        state.Atomically(s =>
        {
            s.AddMerge(new FakeMerge(Forge.Gitee, fullName, pull.Number, pull.HeadSha, method));
            return s.UpdateIssue(Forge.Gitee, fullName, pull.Number, p => p with { State = "merged" });
        });
        return FakeForgeHttp.Answer(new { sha = pull.HeadSha, merged = true, message = "Pull Request merged" });
    }

    /// <summary>One page of a list, with Gitee's paging headers (<c>total_count</c>, <c>total_page</c>).</summary>
    private static IResult Paged(HttpContext context, IReadOnlyList<object> items)
    {
        var page = FakeForgeHttp.Page(context.Request, items, defaultPerPage: 20);
        context.Response.Headers["total_count"] = page.Total.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["total_page"] = page.LastPage.ToString(CultureInfo.InvariantCulture);
        return FakeForgeHttp.Answer(page.Items);
    }
}
