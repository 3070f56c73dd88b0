namespace Forgeline.Testing;

/// <summary>A project written by <see cref="ProjectGenerator"/>, with the dependency facts it was made from.</summary>
/// <param name="Directory">Where its spec directories are.</param>
/// <param name="Depth">How many levels it has: the longest chain of build requirements has this many packages.</param>
/// <param name="Packages">Its packages, lowest level first.</param>
public sealed record GeneratedProject(string Directory, int Depth, IReadOnlyList<GeneratedPackage> Packages)
{
    /// <summary>
    /// The longest chain's total by <paramref name="duration"/>: how long a full rebuild takes at least, with any
    /// number of builders. Computed from the generator's own facts, to check a scheduler's or a graph's against.
    /// </summary>
    public TimeSpan CriticalPath(Func<string, TimeSpan> duration)
    {
        var finish = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var package in Packages.OrderBy(p => p.Level))
        {
            finish[package.Name] = duration(package.Name) + package.Requires.Select(r => finish[r]).DefaultIfEmpty(TimeSpan.Zero).Max();
        }

        return finish.Values.DefaultIfEmpty(TimeSpan.Zero).Max();
    }
}
