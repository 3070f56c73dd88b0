using System.Text;
using System.Text.Json;

namespace Forgeline.Bot.Forges.Gitee;

/// <summary>Files, pull request changes and commits, merging.</summary>
public sealed partial class GiteeClient
{
    /// <inheritdoc />
    /// <remarks>A directory is not a file: its listing (a JSON array) reads as null, as does a 404.</remarks>
    public async Task<string?> GetFileAsync(RepoRef repo, string path, string gitRef, CancellationToken cancellationToken)
    {
        var escapedPath = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        var response = await http.SendAsync(
            HttpMethod.Get,
            gitRef.Length == 0 ? $"{Repo(repo)}/contents/{escapedPath}" : $"{Repo(repo)}/contents/{escapedPath}?ref={Uri.EscapeDataString(gitRef)}",
            null,
            true,
            cancellationToken);
        if (response.StatusCode == 404 || response.Body.ValueKind != JsonValueKind.Object || response.Body.Text("type") is not (null or "file"))
        {
            return null;
        }

        var content = response.Body.Text("content") ?? "";
        return response.Body.Text("encoding") == "base64" ? Encoding.UTF8.GetString(Convert.FromBase64String(content)) : content;
    }

    /// <inheritdoc />
    /// <remarks>Gitee lists at most 300 files of a pull request, in one answer.</remarks>
    public async Task<IReadOnlyList<string>> GetChangedFilesAsync(RepoRef repo, int number, CancellationToken cancellationToken)
    {
        var files = await http.GetAsync($"{Pull(repo, number)}/files", cancellationToken);
        var paths = new List<string>();
        foreach (var file in Array(files, "files"))
        {
            foreach (var path in new[] { file.Text("filename"), file.TextIn("patch", "old_path"), file.TextIn("patch", "new_path") })
            {
                if (!string.IsNullOrEmpty(path) && !paths.Contains(path, StringComparer.Ordinal))
                {
                    paths.Add(path);
                }
            }
        }

        return paths;
    }

    /// <inheritdoc />
    /// <remarks>Gitee lists at most 250 commits of a pull request, in one answer.</remarks>
    public async Task<IReadOnlyList<CommitInfo>> GetCommitsAsync(RepoRef repo, int number, CancellationToken cancellationToken)
    {
        var commits = await http.GetAsync($"{Pull(repo, number)}/commits", cancellationToken);
        return Array(commits, "commits")
            .Select(c =>
            {
                var author = c.Child("commit") is { } commit ? commit.Child("author") : null;
                return new CommitInfo(
                    c.Text("sha") ?? "",
                    author?.Text("name") ?? "",
                    author?.Text("email") ?? "",
                    c.TextIn("author", "login"));
            })
            .ToList();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Gitee's merge takes no head commit, so the client reads the pull request first and refuses (409) when its head
    /// moved; a push between that read and the merge is not caught.
    /// </remarks>
    public async Task MergeAsync(RepoRef repo, int number, string headSha, MergeMethod method, CancellationToken cancellationToken)
    {
        var pull = await http.GetAsync(Pull(repo, number), cancellationToken);
        var head = pull.TextIn("head", "sha");
        if (!string.Equals(head, headSha, StringComparison.OrdinalIgnoreCase))
        {
            throw new ForgeApiException(
                $"Gitee pull request {repo.FullName}!{number} was not merged: its head is now {head ?? "unknown"}, not {headSha}; check the new commits first.",
                409);
        }

        var mergeMethod = method switch
        {
            MergeMethod.Squash => "squash",
            MergeMethod.Rebase => "rebase",
            _ => "merge",
        };
        await http.SendAsync(HttpMethod.Put, $"{Pull(repo, number)}/merge", new { merge_method = mergeMethod }, false, cancellationToken);
    }

    /// <summary>The items of a list answer; anything else is the forge breaking its contract.</summary>
    private static IEnumerable<JsonElement> Array(JsonElement list, string what) =>
        list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : throw new ForgeApiException($"Gitee answered the pull request's {what} with {list.ValueKind}, not a list.");
}
