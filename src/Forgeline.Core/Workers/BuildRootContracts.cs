namespace Forgeline.Core.Workers;

/// <summary>
/// The clean root a job builds in, as the server hands it to a worker (<see cref="JobLease.Root"/>): the build target's
/// repositories, arch and base packages, with the project's own repository layered on top. The worker resolves the
/// source package's BuildRequires against these with <c>dnf --installroot</c> and runs rpmbuild inside the result.
/// Null in a lease means the host toolchain mode (no target): rpmbuild runs on the worker's own tools.
/// </summary>
/// <param name="Target">The build target's name, e.g. <c>openeuler-24.03-x86_64</c>.</param>
/// <param name="Arch">The architecture the root is made for (the target's).</param>
/// <param name="Repositories">The target's repositories, then the project's (<see cref="JobRepository.Layer"/> <c>project</c>).</param>
/// <param name="BasePackages">What every root of the target holds before the build's own BuildRequires (mock's <c>chroot_setup_cmd</c>), e.g. <c>@buildsys-build</c>.</param>
/// <param name="RpmDbPath">Where the target's rpm keeps its database inside the root (<c>%_dbpath</c>): <c>/var/lib/rpm</c>, or <c>/usr/lib/sysimage/rpm</c> on Fedora.</param>
/// <param name="ReleaseVersion">dnf's <c>$releasever</c> for the target's repository URLs.</param>
public sealed record JobRoot(
    string Target,
    string Arch,
    IReadOnlyList<JobRepository> Repositories,
    IReadOnlyList<string> BasePackages,
    string RpmDbPath = JobRoot.DefaultRpmDbPath,
    string ReleaseVersion = "1")
{
    /// <summary>The default <see cref="RpmDbPath"/>.</summary>
    public const string DefaultRpmDbPath = "/var/lib/rpm";
}

/// <summary>One RPM repository of a build root.</summary>
/// <param name="Id">Short name, unique in the root (dnf's repository id), e.g. <c>base</c>, <c>update</c>, <c>project</c>.</param>
/// <param name="Url">
/// Where it is: <c>http://</c>, <c>https://</c> or <c>file://</c>; a path starting with <c>/</c> (e.g. <c>/repos/P/CHROOT/</c>)
/// is on the Forgeline server itself, which the worker reaches with its own URL and token.
/// </param>
/// <param name="GpgKey">Armored OpenPGP public key: when set, dnf checks every RPM's signature with it; null to check none.</param>
/// <param name="Layer"><c>target</c> for the distribution's repositories, <c>project</c> for the project's own (never part of the cached base root).</param>
/// <param name="SignedMetadata">
/// With <paramref name="GpgKey"/>: whether the repository signs its metadata (<c>repomd.xml.asc</c>) and dnf must check
/// it too. Forgeline's own repositories do; Fedora's and openEuler's sign only their packages.
/// </param>
public sealed record JobRepository(string Id, string Url, string? GpgKey = null, string Layer = JobRepository.TargetLayer, bool SignedMetadata = true)
{
    /// <summary><see cref="Layer"/> of a target's repositories.</summary>
    public const string TargetLayer = "target";

    /// <summary><see cref="Layer"/> of the project's own repository.</summary>
    public const string ProjectLayer = "project";
}

/// <summary>
/// What a worker reports of the root a job built in (<see cref="CompleteJobRequest.Root"/>), shown on the build page
/// and by <c>forgeline build show</c>. Its full package list is uploaded as the artifact <see cref="PackagesArtifactName"/>
/// (kind <see cref="PackagesArtifactKind"/>).
/// </summary>
/// <param name="Target">The build target.</param>
/// <param name="BaseDigest">sha256 naming the cached base root: the target's definition and its repositories' <c>repomd.xml</c> digests.</param>
/// <param name="Digest">sha256 of the root's package list (every name-epoch:version-release.arch installed, sorted): two builds with the same digest ran on the same packages.</param>
/// <param name="Packages">How many packages the root holds.</param>
/// <param name="BaseCached">Whether the base root came from the worker's cache (false: it was installed for this build).</param>
/// <param name="ResolveSeconds">Checking repository metadata and resolving the BuildRequires (dnf's depsolve).</param>
/// <param name="InstallSeconds">Installing the base root (when not cached) and the build's own BuildRequires.</param>
/// <param name="BuildSeconds">rpmbuild itself; null when the build failed before it ran.</param>
public sealed record JobRootReport(
    string Target,
    string BaseDigest,
    string Digest,
    int Packages,
    bool BaseCached,
    double ResolveSeconds,
    double InstallSeconds,
    double? BuildSeconds)
{
    /// <summary>The kind of the uploaded package list artifact.</summary>
    public const string PackagesArtifactKind = "root-packages";

    /// <summary>The file name of the uploaded package list: one <c>name-[epoch:]version-release.arch</c> per line, sorted.</summary>
    public const string PackagesArtifactName = "root-packages.txt";
}
