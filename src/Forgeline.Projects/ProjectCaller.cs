namespace Forgeline.Projects;

/// <summary>Who is asking: the user (or service token owner) projects know, their groups, the token, and whether they are a server admin.</summary>
/// <param name="Principal">The user, or a service token's owner (its name when it has none).</param>
/// <param name="Token">The token's name or the user's (the project's own signing key lists it as a signer).</param>
/// <param name="IsAdmin">Holds the server's admin scope: may do anything to any project.</param>
public sealed record ProjectCaller(string Principal, string Token, bool IsAdmin)
{
    /// <summary>Anonymous readers (public projects and repositories only).</summary>
    public static readonly ProjectCaller Anonymous = new("", "", false);

    /// <summary>The groups the caller is in: a project member that is a group grants its role to each of them.</summary>
    public IReadOnlyCollection<string> Groups { get; init; } = [];

    /// <summary>
    /// Reads every project's repositories, private ones too: a build worker's token, whose dnf installs a project's
    /// packages into the build roots of its builds. Set only where repositories are served.
    /// </summary>
    public bool ReadsEveryRepository { get; init; }

    /// <summary>Whether <paramref name="name"/> (an owner or a member) is the caller or one of the caller's groups.</summary>
    public bool Is(string name) => name.Length > 0 && (name == Principal || Groups.Contains(name));
}
