using System.Collections.Immutable;
using Forgeline.Bot.Forges;

namespace Forgeline.Testing;

/// <summary>A repository held by the <see cref="FakeForgeState"/>, as an immutable snapshot.</summary>
/// <param name="Forge">The forge it is on.</param>
/// <param name="FullName">owner/name (GitLab: the group path and the project).</param>
public sealed record FakeRepository(Forge Forge, string FullName)
{
    /// <summary>The default branch, used when a file is read without a ref.</summary>
    public string DefaultBranch { get; init; } = "main";

    /// <summary>Logins with write access (compared ignoring case, as forges do).</summary>
    public ImmutableHashSet<string> Collaborators { get; init; } = ImmutableHashSet.Create<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The labels defined on the repository.</summary>
    public ImmutableHashSet<string> Labels { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Files by ref (branch, tag or sha), then by path.</summary>
    public ImmutableDictionary<string, ImmutableDictionary<string, string>> Files { get; init; } =
        ImmutableDictionary<string, ImmutableDictionary<string, string>>.Empty;

    /// <summary>The user or group that owns it (everything before the last slash).</summary>
    public string Owner => FullName[..FullName.LastIndexOf('/')];

    /// <summary>A file's text at <paramref name="gitRef"/>, or null.</summary>
    public string? File(string gitRef, string path) =>
        Files.TryGetValue(gitRef, out var files) && files.TryGetValue(path, out var text) ? text : null;
}
