using Forgeline.Bot.Forges;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Forgeline.Testing.FakeForgeHttp;

namespace Forgeline.Testing;

/// <summary>
/// The fake's GitHub REST v3 routes for membership, file contents, a pull request's files and commits (paged with
/// <c>Link</c> headers), commit statuses and merging, following GitHub's documented shapes and status codes.
/// </summary>
internal static class FakeGitHubRepositoryApi
{
    private const Forge GitHub = Forge.GitHub;
    private static readonly string[] StatusStates = ["error", "failure", "pending", "success"];
    private static readonly string[] MergeMethods = ["merge", "squash", "rebase"];

    public static IEndpointRouteBuilder MapFakeGitHubRepository(this IEndpointRouteBuilder routes, FakeForgeState state)
    {
        routes.MapGet("/repos/{owner}/{repo}/collaborators/{login}", (string owner, string repo, string login) =>
            state.Repository(GitHub, $"{owner}/{repo}") is { } repository && repository.Collaborators.Contains(login)
                ? Results.NoContent()
                : Message(404, "Not Found"));

        routes.MapGet("/orgs/{org}/members/{login}", (string org, string login) =>
            state.IsOrgMember(GitHub, org, login) ? Results.NoContent() : Message(404, "Not Found"));

        routes.MapGet("/repos/{owner}/{repo}/contents/{**path}", (HttpContext context, string owner, string repo, string? path) =>
        {
            if (state.Repository(GitHub, $"{owner}/{repo}") is not { } repository)
            {
                return Message(404, "Not Found");
            }

            var gitRef = context.Request.Query["ref"].FirstOrDefault() ?? repository.DefaultBranch;
            if (!repository.Files.TryGetValue(gitRef, out var files))
            {
                return Message(404, $"No commit found for the ref {gitRef}");
            }

            path = (path ?? "").Trim('/');
            if (files.TryGetValue(path, out var text))
            {
                return Answer(new
                {
                    type = "file",
                    encoding = "base64",
                    size = System.Text.Encoding.UTF8.GetByteCount(text),
                    name = path.Split('/')[^1],
                    path,
                    content = FakeGitHubJson.WrappedBase64(text),
                    sha = FakeGitHubJson.Sha(text),
                });
            }

            // A directory answers with its entries (a list, not a file object).
            var prefix = path.Length == 0 ? "" : path + "/";
            var entries = files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal))
                .Select(p => p[prefix.Length..].Split('/'))
                .Select(parts => (Name: parts[0], Type: parts.Length == 1 ? "file" : "dir"))
                .Distinct()
                .Select(e => new { type = e.Type, name = e.Name, path = prefix + e.Name })
                .ToList();
            return entries.Count > 0 ? Answer(entries) : Message(404, "Not Found");
        });

        routes.MapGet("/repos/{owner}/{repo}/pulls/{number:int}/files", (HttpContext context, string owner, string repo, int number) =>
            FakeGitHubApi.WithPull(state, owner, repo, number, pull => Paged(context, pull.ChangedFiles, FakeGitHubJson.ChangedFile)));

        routes.MapGet("/repos/{owner}/{repo}/pulls/{number:int}/commits", (HttpContext context, string owner, string repo, int number) =>
            FakeGitHubApi.WithPull(state, owner, repo, number, pull => Paged(context, pull.Commits, c => FakeGitHubJson.Commit(c, pull.CreatedAt))));

        routes.MapPost("/repos/{owner}/{repo}/statuses/{sha}", (HttpContext context, string owner, string repo, string sha) =>
        {
            if (state.Repository(GitHub, $"{owner}/{repo}") is null)
            {
                return Message(404, "Not Found");
            }

            var body = BodyJson(context);
            var wanted = String(body, "state");
            if (wanted is null || !StatusStates.Contains(wanted))
            {
                return Answer(new { message = "Validation Failed", errors = new[] { new { resource = "Status", field = "state", code = "invalid" } } }, 422);
            }

            var status = state.AddStatus(GitHub, $"{owner}/{repo}", sha, String(body, "context") ?? "default", wanted, String(body, "description") ?? "", String(body, "target_url"));
            return Answer(FakeGitHubJson.Status(status, state.BotLogin), 201);
        });

        routes.MapGet("/repos/{owner}/{repo}/commits/{sha}/status", (string owner, string repo, string sha) =>
        {
            if (state.Repository(GitHub, $"{owner}/{repo}") is null)
            {
                return Message(404, "Not Found");
            }

            var latest = state.LatestStatuses(GitHub, $"{owner}/{repo}", sha);
            // GitHub's combined state: failure if any error/failure, pending if none or any pending, else success.
            var combined = latest.Any(s => s.State is "error" or "failure") ? "failure"
                : latest.Count == 0 || latest.Any(s => s.State == "pending") ? "pending"
                : "success";
            return Answer(new
            {
                state = combined,
                sha,
                total_count = latest.Count,
                statuses = latest.Select(s => FakeGitHubJson.Status(s, state.BotLogin)),
                repository = new { full_name = $"{owner}/{repo}" },
            });
        });

        routes.MapPut("/repos/{owner}/{repo}/pulls/{number:int}/merge", (HttpContext context, string owner, string repo, int number) =>
            FakeGitHubApi.WithPull(state, owner, repo, number, pull =>
            {
                var body = BodyJson(context);
                var method = String(body, "merge_method") ?? "merge";
                if (!MergeMethods.Contains(method))
                {
                    return Message(422, $"Validation Failed: merge_method must be one of merge, squash, rebase, not {method}");
                }

                if (pull.State != "open" || pull.Mergeable == false)
                {
                    return Message(405, "Pull Request is not mergeable");
                }

                if (String(body, "sha") is { } sha && sha != pull.HeadSha)
                {
                    return Message(409, "Head branch was modified. Review and try the merge again.");
                }

                state.UpdateIssue(GitHub, $"{owner}/{repo}", number, i => i with { State = "merged" });
                state.AddMerge(new FakeMerge(GitHub, $"{owner}/{repo}", number, pull.HeadSha, method));
                return Answer(new { sha = FakeGitHubJson.Sha($"merge {owner}/{repo}#{number} {pull.HeadSha}"), merged = true, message = "Pull Request successfully merged" });
            }));

        return routes;
    }

    /// <summary>One page of <paramref name="items"/>, with GitHub's <c>Link</c> header (next/last, prev/first) when there is more than one.</summary>
    private static IResult Paged<T>(HttpContext context, IReadOnlyList<T> items, Func<T, object> json)
    {
        var page = Page(context.Request, items);
        var links = new List<string>();
        if (page.HasNext)
        {
            links.Add($"<{PageUrl(context.Request, page.Number + 1)}>; rel=\"next\"");
            links.Add($"<{PageUrl(context.Request, page.LastPage)}>; rel=\"last\"");
        }

        if (page.Number > 1)
        {
            links.Add($"<{PageUrl(context.Request, page.Number - 1)}>; rel=\"prev\"");
            links.Add($"<{PageUrl(context.Request, 1)}>; rel=\"first\"");
        }

        if (links.Count > 0)
        {
            context.Response.Headers["Link"] = string.Join(", ", links);
        }

        return Answer(page.Items.Select(json).ToList());
    }
}
