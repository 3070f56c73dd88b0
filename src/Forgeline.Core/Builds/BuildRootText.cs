namespace Forgeline.Core.Builds;

/// <summary>What a build ran in, as people read it, the same in the CLI and the web UI.</summary>
public static class BuildRootText
{
    /// <summary>What the page and <c>build show</c> say of a build without a target.</summary>
    public const string HostToolchain = "host toolchain, not isolated";

    /// <summary>The target, or <see cref="HostToolchain"/>.</summary>
    public static string Target(BuildDto build) => build.Target ?? HostToolchain;

    /// <summary>The root's digest, size and whether its base came from the cache, e.g. <c>sha256:ab12… · 212 packages · base root cached</c>; null without a report.</summary>
    public static string? Root(BuildDto build) => build.Root is { } root
        ? $"sha256:{root.Digest} · {root.Packages} packages · {(root.BaseCached ? "base root cached" : "base root installed")}"
        : null;

    /// <summary>Resolve, install and build times apart, e.g. <c>resolve 1.2s · install 31.0s · build 2m 05s</c>; null without a report.</summary>
    public static string? Times(BuildDto build) => build.Root is { } root
        ? $"resolve {DurationText.Format(TimeSpan.FromSeconds(root.ResolveSeconds))} · install {DurationText.Format(TimeSpan.FromSeconds(root.InstallSeconds))} · build "
          + (root.BuildSeconds is { } seconds ? DurationText.Format(TimeSpan.FromSeconds(seconds)) : "did not run")
        : null;

    /// <summary>The root's package list artifact, or null.</summary>
    public static ArtifactDto? PackageList(BuildDto build) =>
        build.Artifacts.FirstOrDefault(a => a.Kind == Workers.JobRootReport.PackagesArtifactKind);
}
