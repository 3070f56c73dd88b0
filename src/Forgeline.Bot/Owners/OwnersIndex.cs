namespace Forgeline.Bot.Owners;

/// <summary>
/// The OWNERS files that govern a set of changed paths: for each path the chain of OWNERS files from its directory up to the
/// root (nearest first), stopping below a file with <c>no_parent_owners</c>.
/// </summary>
public sealed class OwnersIndex(IReadOnlyDictionary<string, OwnersFile> files, IReadOnlyList<string> paths)
{
    /// <summary>The OWNERS files found, by directory.</summary>
    public IReadOnlyDictionary<string, OwnersFile> Files => files;

    /// <summary>The changed paths the index covers.</summary>
    public IReadOnlyList<string> Paths => paths;

    /// <summary>The OWNERS files that apply to <paramref name="path"/>, nearest first.</summary>
    public IReadOnlyList<OwnersFile> ChainFor(string path)
    {
        var chain = new List<OwnersFile>();
        foreach (var directory in OwnersReader.DirectoriesUp(path))
        {
            if (files.TryGetValue(directory, out var owners))
            {
                chain.Add(owners);
                if (owners.NoParentOwners)
                {
                    break;
                }
            }
        }

        return chain;
    }

    /// <summary>Whether <paramref name="login"/> is an approver in any OWNERS file that applies to a changed path (or the root's).</summary>
    public bool IsApprover(string login) => Applying().Any(f => f.Approvers.Contains(login.ToLowerInvariant()));

    /// <summary>Whether <paramref name="login"/> is a reviewer or approver in any OWNERS file that applies.</summary>
    public bool IsReviewer(string login) =>
        Applying().Any(f => f.Reviewers.Contains(login.ToLowerInvariant()) || f.Approvers.Contains(login.ToLowerInvariant()));

    /// <summary>
    /// Which changed paths <paramref name="approvers"/> do not yet cover (no approver of any OWNERS file in the path's chain
    /// approved), and for each still-needed OWNERS file (the nearest of each uncovered path) its approvers to ask.
    /// </summary>
    public ApprovalCoverage Coverage(IEnumerable<string> approvers)
    {
        var approved = approvers.Select(a => a.ToLowerInvariant()).ToHashSet();
        var uncovered = new List<string>();
        var needed = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var chain = ChainFor(path);
            if (chain.Any(f => f.Approvers.Any(approved.Contains)))
            {
                continue;
            }

            uncovered.Add(path);
            if (chain.FirstOrDefault(f => f.Approvers.Count > 0) is { } nearest)
            {
                needed[nearest.Path] = nearest.Approvers;
            }
        }

        return new ApprovalCoverage(uncovered, needed);
    }

    private IEnumerable<OwnersFile> Applying() =>
        paths.Count == 0 ? files.TryGetValue("", out var root) ? [root] : [] : paths.SelectMany(ChainFor).Distinct();
}

/// <summary>What is still missing for approval.</summary>
/// <param name="UncoveredPaths">Changed paths no approver covers yet.</param>
/// <param name="NeededOwners">For each OWNERS file whose approval is still needed (by path), its approvers.</param>
public sealed record ApprovalCoverage(IReadOnlyList<string> UncoveredPaths, IReadOnlyDictionary<string, IReadOnlyList<string>> NeededOwners)
{
    /// <summary>Whether every changed path is covered.</summary>
    public bool Complete => UncoveredPaths.Count == 0;
}
