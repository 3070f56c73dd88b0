namespace Forgeline.Testing;

/// <summary>
/// The fake GitLab's user directory, kept beside a <see cref="FakeForgeState"/>: GitLab names people by numeric id
/// where the state uses logins, and knows access levels finer than "collaborator" (10 guest … 50 owner).
/// </summary>
internal sealed class FakeGitLabUsers
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, string> logins = [];
    private readonly Dictionary<string, int> accessLevels = new(StringComparer.OrdinalIgnoreCase);
    private long lastId = 100;

    /// <summary>The user's id, registering the user when new.</summary>
    public long IdOf(string login)
    {
        lock (gate)
        {
            if (!ids.TryGetValue(login, out var id))
            {
                ids[login] = id = ++lastId;
                logins[id] = login;
            }

            return id;
        }
    }

    /// <summary>The id of a registered user, or null.</summary>
    public long? Find(string login)
    {
        lock (gate)
        {
            return ids.TryGetValue(login, out var id) ? id : null;
        }
    }

    /// <summary>The login of user <paramref name="id"/>, or null.</summary>
    public string? LoginOf(long id)
    {
        lock (gate)
        {
            return logins.GetValueOrDefault(id);
        }
    }

    /// <summary>Sets the user's access level on a project or group (full path).</summary>
    public void SetAccessLevel(string path, string login, int level)
    {
        lock (gate)
        {
            accessLevels[$"{path}\n{login}"] = level;
        }
    }

    /// <summary>The user's own access level on a project or group, or null.</summary>
    public int? AccessLevel(string path, string login)
    {
        lock (gate)
        {
            return accessLevels.TryGetValue($"{path}\n{login}", out var level) ? level : null;
        }
    }
}
