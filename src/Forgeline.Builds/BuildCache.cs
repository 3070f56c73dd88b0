using System.Security.Cryptography;
using System.Text;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Builds;

/// <summary>
/// The global build cache: a build whose inputs are identical to a build that already succeeded in the same build
/// environment is not built again; it reuses that build's artifacts. Inputs are the source's digest (an SRPM, a
/// directory packed without times, or a git commit id — a branch name is not stable, so it is never cached), the
/// arch, the labels, the macros and the build target (its name and the digest of its definition, so a build made for
/// another definition of the target is never reused); the environment is the fingerprint workers report of their toolchain.
/// </summary>
public sealed class BuildCache(ForgelineDbContext db)
{
    /// <summary>The digest of a build's inputs, or null when the source has none that is stable.</summary>
    /// <param name="source">What is built.</param>
    /// <param name="arch">For which architecture.</param>
    /// <param name="labels">The worker labels it needs.</param>
    /// <param name="macros">Its own RPM macros.</param>
    /// <param name="dependencies">RPMs installed in its build environment.</param>
    /// <param name="target">The build target as <c>name@definition-digest</c>; null for the worker's own toolchain.</param>
    public static string? InputDigest(BuildSource source, string arch, string labels, IReadOnlyDictionary<string, string>? macros, IReadOnlyList<JobDependency>? dependencies = null, string? target = null)
    {
        var identity = source.Kind switch
        {
            SourceKind.Srpm or SourceKind.Directory when source.Blob is { } blob => $"{source.Kind}:{blob}:{source.SpecPath}",
            SourceKind.Git when source.Ref is { Length: 40 } commit && commit.All(char.IsAsciiHexDigitLower) => $"git:{source.Url}@{commit}:{source.SpecPath}",
            _ => null,
        };
        if (identity is null)
        {
            return null;
        }

        var text = new StringBuilder("forgeline-build-inputs-v1\n").Append(identity).Append('\n').Append(arch).Append('\n').Append(labels).Append('\n');
        foreach (var (name, value) in (macros ?? new Dictionary<string, string>()).OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('=').Append(value.Length).Append(':').Append(value).Append('\n');
        }

        // The packages installed in the build environment decide the result too: built against other ones, it is another build.
        foreach (var dependency in (dependencies ?? []).OrderBy(d => d.Sha256, StringComparer.Ordinal))
        {
            text.Append("dep ").Append(dependency.Sha256).Append('\n');
        }

        // Only builds for a target add the line, so the digests of host-toolchain builds stay what they were.
        if (target is not null)
        {
            text.Append("target ").Append(target).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The environment a build needing <paramref name="arch"/> and <paramref name="labels"/> would run in now: that of
    /// the enabled worker able to run it (one that builds in clean roots when <paramref name="needsRoot"/>) that was seen
    /// last. Null when no such worker has reported one.
    /// </summary>
    public async Task<string?> CurrentEnvironmentAsync(string arch, string labels, CancellationToken cancellationToken, bool needsRoot = false)
    {
        var needed = StoredLabels.Split(labels);
        var workers = await db.Workers.AsNoTracking()
            .Where(w => w.Arch == arch && w.Admin == WorkerAdmin.Enabled && w.Environment != null && (!needsRoot || w.BuildRoots))
            .OrderByDescending(w => w.LastSeenAt).Select(w => new { w.Labels, w.Environment }).ToListAsync(cancellationToken);
        return workers.FirstOrDefault(w => needed.All(StoredLabels.Split(w.Labels).Contains))?.Environment;
    }

    /// <summary>
    /// The latest build that built these inputs in <paramref name="environment"/> and succeeded, with its artifacts. Cache
    /// hits are passed over: a hit names the build that made its packages, so every hit of it tells the same story (and
    /// stores the same one-line log).
    /// </summary>
    public Task<BuildRecord?> FindAsync(string inputDigest, string environment, CancellationToken cancellationToken) =>
        db.Builds.AsNoTracking().Include(b => b.Artifacts)
            .Where(b => b.InputDigest == inputDigest && b.Environment == environment && b.State == BuildState.Succeeded && b.CachedFromId == null)
            .OrderByDescending(b => b.Id).FirstOrDefaultAsync(cancellationToken);
}
