using System.Globalization;
using System.Text.Json;

namespace Forgeline.Bot.Forges.GitLab;

/// <summary>Assignees, reviewers and membership: GitLab names people by id, so usernames are looked up first.</summary>
public sealed partial class GitLabClient
{
    // GitLab's access levels: 10 guest, 20 reporter, 30 developer (may push), 40 maintainer, 50 owner.
    private const int GuestAccess = 10;
    private const int DeveloperAccess = 30;

    /// <inheritdoc />
    /// <remarks>GitLab Free keeps one assignee per issue; several need a paid tier.</remarks>
    public Task AddAssigneesAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken) =>
        ChangePeopleAsync(Target(repo, number), "assignees", "assignee_ids", logins, add: true, cancellationToken);

    /// <inheritdoc />
    public Task RemoveAssigneesAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken) =>
        ChangePeopleAsync(Target(repo, number), "assignees", "assignee_ids", logins, add: false, cancellationToken);

    /// <inheritdoc />
    public Task RequestReviewersAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken) =>
        ChangePeopleAsync(MergeRequest(repo, number, "Requesting reviewers"), "reviewers", "reviewer_ids", logins, add: true, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A collaborator is a member of the project (directly or through its groups) at Developer level or above.</remarks>
    public async Task<bool> IsCollaboratorAsync(RepoRef repo, string login, CancellationToken cancellationToken)
    {
        var level = await AccessLevelAsync($"{Project(repo)}/members/all", login, cancellationToken);
        return level >= DeveloperAccess;
    }

    /// <inheritdoc />
    /// <remarks><paramref name="organisation"/> is a group path (subgroups included); inherited memberships count, at Guest level or above.</remarks>
    public async Task<bool> IsOrgMemberAsync(Forge forge, string organisation, string login, CancellationToken cancellationToken)
    {
        if (forge != Forge.GitLab)
        {
            throw new ArgumentException($"This client speaks to GitLab, not {forge}.", nameof(forge));
        }

        var level = await AccessLevelAsync($"groups/{Uri.EscapeDataString(organisation)}/members/all", login, cancellationToken);
        return level >= GuestAccess;
    }

    /// <summary>The user's access level through <paramref name="membersPath"/>, or null when they are no member (or no user).</summary>
    private async Task<int?> AccessLevelAsync(string membersPath, string login, CancellationToken cancellationToken)
    {
        if (await FindUserIdAsync(login, cancellationToken) is not { } id)
        {
            return null;
        }

        var response = await http.SendAsync(HttpMethod.Get, $"{membersPath}/{id.ToString(CultureInfo.InvariantCulture)}", null, true, cancellationToken);
        return response.StatusCode == 404 ? null : (int?)response.Body.Number("access_level");
    }

    /// <summary>Adds people to, or removes them from, the id list <paramref name="idsField"/> (GitLab replaces the whole list).</summary>
    private async Task ChangePeopleAsync(string target, string listField, string idsField, IReadOnlyList<string> logins, bool add, CancellationToken cancellationToken)
    {
        if (logins.Count == 0)
        {
            return;
        }

        var current = await http.GetAsync(target, cancellationToken);
        var ids = current.Items(listField).Select(person => person.Number("id")).OfType<long>().ToList();
        var changed = false;
        foreach (var login in logins)
        {
            var id = add ? await UserIdAsync(login, cancellationToken) : await FindUserIdAsync(login, cancellationToken);
            if (id is not { } known)
            {
                continue;
            }

            changed |= add ? AddOnce(ids, known) : ids.Remove(known);
        }

        if (changed)
        {
            await http.SendAsync(HttpMethod.Put, target, new Dictionary<string, object> { [idsField] = ids }, false, cancellationToken);
        }
    }

    private static bool AddOnce(List<long> ids, long id)
    {
        if (ids.Contains(id))
        {
            return false;
        }

        ids.Add(id);
        return true;
    }

    /// <summary>The id of user <paramref name="login"/>; throws <see cref="ForgeApiException"/> (404) when there is none.</summary>
    private async Task<long> UserIdAsync(string login, CancellationToken cancellationToken) =>
        await FindUserIdAsync(login, cancellationToken)
        ?? throw new ForgeApiException($"GitLab has no user named '{login}'; check the spelling of the username.", 404);

    /// <summary>The id of user <paramref name="login"/>, or null when GitLab has no such user.</summary>
    private async Task<long?> FindUserIdAsync(string login, CancellationToken cancellationToken)
    {
        if (userIds.TryGetValue(login, out var cached))
        {
            return cached;
        }

        var users = await http.GetAsync($"users?username={Uri.EscapeDataString(login)}", cancellationToken);
        if (users.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var user in users.EnumerateArray())
        {
            if (string.Equals(user.Text("username"), login, StringComparison.OrdinalIgnoreCase) && user.Number("id") is { } id)
            {
                userIds[login] = id;
                return id;
            }
        }

        return null;
    }
}
