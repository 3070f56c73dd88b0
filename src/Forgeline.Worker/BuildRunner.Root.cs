using System.Diagnostics;
using System.Text;
using Forgeline.Core;
using Forgeline.Core.Workers;
using Forgeline.Rpm;
using Forgeline.Worker.Dependencies;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker;

/// <summary>Building in a target's clean root (<see cref="JobLease.Root"/>).</summary>
public sealed partial class BuildRunner
{
    // rpmbuild -br/-rr: "more BuildRequires were generated; install them and run me again".
    private const int MoreBuildRequires = 11;
    private const int MaxDynamicRounds = 8;
    private const string DynamicFeature = "rpmlib(DynamicBuildRequires)";
    private static readonly byte[] ResolvedMarker = "Dependencies resolved."u8.ToArray();

    private string? rootArea;
    private readonly List<CachedEntry> rootEntries = [];
    private SandboxRoot? rootInside;

    /// <summary>What the job's root was, once it was made; null in the host toolchain mode.</summary>
    public JobRootReport? RootReport { get; private set; }

    private async Task BuildInRootAsync(string srpm, CancellationToken stop)
    {
        var root = lease.Root!;
        var host = roots ?? throw new JobErrorException("this build needs a clean root of its target, but this worker cannot make one (it was started without dnf or without a root cache)");
        if (!string.Equals(root.Arch, lease.Arch, StringComparison.Ordinal))
        {
            throw new JobFailedException($"the target {root.Target} is for {root.Arch}, but the build is for {lease.Arch}");
        }

        if (root.Repositories.FirstOrDefault(r => r.Layer is not (JobRepository.TargetLayer or JobRepository.ProjectLayer)) is { } odd)
        {
            throw new JobFailedException($"the server sent repository '{odd.Id}' in an unknown layer '{odd.Layer}'; this worker knows only '{JobRepository.TargetLayer}' and '{JobRepository.ProjectLayer}'");
        }

        // Outside the job's /build: the build never sees the dnf configuration (it may hold the worker's token) nor the layers.
        var area = rootArea = workDirectory + "-root";
        if (area.IndexOfAny([',', ':', '\\', '\n']) >= 0)
        {
            throw new JobErrorException($"this worker's work directory ({workDirectory}) contains ',', ':' or '\\', which overlayfs cannot take; start the worker with a --work-dir without them");
        }

        var upper = Path.Combine(area, "upper");
        var overlayWork = Path.Combine(area, "overlay-work");
        var merged = Path.Combine(area, "merged");
        var output = Path.Combine(area, "out");
        foreach (var directory in new[] { upper, overlayWork, merged, output })
        {
            Directory.CreateDirectory(directory);
        }

        foreach (var mountPoint in SandboxRoot.MountPoints)
        {
            Directory.CreateDirectory(Path.Combine(upper, mountPoint));
        }

        var resolve = TimeSpan.Zero;
        var install = TimeSpan.Zero;
        await log.LineAsync($"build root: target {root.Target} ({root.Arch}) from {string.Join(", ", root.Repositories.Select(r => $"{r.Id} ({r.Layer})"))}");
        var clock = Stopwatch.StartNew();
        var digests = await TargetMetadata.ReadAsync(root, JobRepository.TargetLayer, host.Http, host.Server, host.Token, stop);
        var projectDigests = await TargetMetadata.ReadAsync(root, JobRepository.ProjectLayer, host.Http, host.Server, host.Token, stop);
        var projects = root.Repositories.Where(r => r.Layer == JobRepository.ProjectLayer).ToList();
        var unpublished = projects.Where((_, i) => projectDigests[i] is null).ToList();
        if (unpublished.Count > 0)
        {
            await log.LineAsync($"nothing is published yet in {string.Join(", ", unpublished.Select(r => r.Id))}: the root is made without it");
            root = root with { Repositories = [.. root.Repositories.Except(unpublished)] };
            projectDigests = [.. projectDigests.Where(d => d is not null)];
        }

        var key = TargetMetadata.BaseKey(root, digests);
        var (buildRequires, dynamic) = ReadBuildRequires(srpm);
        var layerKey = TargetMetadata.LayerKey(key, root, projectDigests, lease.Dependencies, buildRequires);
        resolve += clock.Elapsed;

        var jobRepository = lease.Dependencies is { Count: > 0 } ? await DownloadJobRepositoryAsync(Path.Combine(area, "job-repo"), stop) : null;
        var dnf = DnfSetup.Write(root, Path.Combine(area, "config"), host.Cache.DnfCache(root.Target), host.Server, host.Token, jobRepository);
        var network = root.Repositories.Any(r => !r.Url.StartsWith("file:", StringComparison.OrdinalIgnoreCase));

        // Installs `specs` into `into` with dnf, then lists the root into `list`. Callers hold the target's lock: one dnf
        // at a time per target, since they share its cache.
        async Task RunDnfAsync(SandboxRoot into, IReadOnlyList<string> specs, string step, string list)
        {
            var started = Stopwatch.StartNew();
            TimeSpan? resolved = null;
            var seen = new OutputTail(ResolvedMarker.Length * 2);
            await RunStepAsync(step, [.. dnf.InstallCommand(specs)], network && specs.Count > 0, stop,
                request => request with { WorkDirectory = output, Root = into, Binds = dnf.Binds, Environment = dnf.Environment },
                whyItFailed: DnfSetup.Reason,
                watch: bytes =>
                {
                    if (resolved is null)
                    {
                        seen.Add(bytes.Span);
                        if (Encoding.ASCII.GetBytes(seen.ToString()).AsSpan().IndexOf(ResolvedMarker) >= 0)
                        {
                            resolved = started.Elapsed;
                        }
                    }
                });
            resolve += resolved ?? TimeSpan.Zero;
            install += started.Elapsed - (resolved ?? TimeSpan.Zero);
            File.Move(Path.Combine(output, "packages.txt"), list, overwrite: true);
            var pruned = host.Cache.PrunePackages(root.Target);
            if (pruned > 0)
            {
                await log.LineAsync($"removed {pruned / (1024 * 1024.0):0.0} MiB of the oldest cached RPMs of {root.Target} (limit {host.Cache.PackageLimitBytes / (1024 * 1024)} MiB)");
            }
        }

        async Task InstallAsync(SandboxRoot into, IReadOnlyList<string> specs, string step, string list)
        {
            using var exclusive = await host.Cache.LockTargetAsync(root.Target, stop);
            await RunDnfAsync(into, specs, step, list);
        }

        await log.LineAsync(buildRequires.Count == 0 ? "the package has no BuildRequires" : $"BuildRequires: {string.Join(", ", buildRequires)}");
        var list = Path.Combine(output, JobRootReport.PackagesArtifactName);
        SandboxRoot writable;
        var lockHeld = await host.Cache.LockTargetAsync(root.Target, stop);
        var baseCached = host.Cache.HasBase(root.Target, key);
        if (!baseCached)
        {
            // No base for this metadata yet: this build gets its root in one transaction, as a person would install it
            // by hand, and the base is cached behind it while it builds (the lock goes with it, so the next build of the
            // target waits for the cached base instead of installing its own).
            await log.LineAsync($"no base root of {root.Target} for this metadata: installing {string.Join(" ", root.BasePackages)} and the BuildRequires in one transaction; the base is cached meanwhile"
                + (host.Cache.BackgroundFailure is { } failed ? $" (last time, {failed})" : ""));
            var plain = Path.Combine(area, "root");
            foreach (var mountPoint in SandboxRoot.MountPoints)
            {
                Directory.CreateDirectory(Path.Combine(plain, mountPoint));
            }

            writable = new SandboxRoot(plain, SandboxRootUse.InstallInto);
            rootInside = new SandboxRoot(plain, SandboxRootUse.RunInside);
            try
            {
                await RunDnfAsync(writable, [.. root.BasePackages, .. buildRequires], "installing the base root and the BuildRequires", list);
            }
            catch
            {
                lockHeld.Dispose();
                throw;
            }

            var baseOnly = root with { Repositories = [.. root.Repositories.Where(r => r.Layer == JobRepository.TargetLayer)] };
            host.Cache.FillBaseInBackground(root.Target, key, lockHeld, (entry, token) => InstallBaseAsync(baseOnly, host, entry, token));
        }
        else
        {
            // The base: the target's base packages, installed once per metadata digest.
            CachedEntry cachedBase;
            using (lockHeld)
            {
                cachedBase = await host.Cache.GetBaseAsync(root.Target, key, _ => throw new InvalidOperationException("the base root vanished from the cache"));
            }

            rootEntries.Add(cachedBase);
            await log.LineAsync($"base root {key[..12]} of {root.Target} from the cache");
            IReadOnlyList<string> lowers = [cachedBase.Tree];
            var packagesOfRoot = cachedBase.Packages;

            // The BuildRequires: a layer over the base, cached for the same BuildRequires on the same metadata.
            if (buildRequires.Count > 0)
            {
                var layer = await host.Cache.GetLayerAsync(root.Target, layerKey, entry =>
                    InstallAsync(new SandboxRoot(merged, SandboxRootUse.InstallInto, lowers, entry.Tree, entry.Work), buildRequires, "installing the BuildRequires", entry.Packages));
                rootEntries.Add(layer);
                if (layer.WasCached)
                {
                    await log.LineAsync($"BuildRequires layer {layerKey[..12]} from the cache (same BuildRequires, same metadata)");
                }

                lowers = [layer.Tree, .. lowers];
                packagesOfRoot = layer.Packages;
            }

            writable = new SandboxRoot(merged, SandboxRootUse.InstallInto, lowers, upper, overlayWork);
            rootInside = new SandboxRoot(merged, SandboxRootUse.RunInside, [upper, .. lowers]);
            File.Copy(packagesOfRoot, list);
        }

        if (dynamic)
        {
            var installed = new HashSet<string>(buildRequires, StringComparer.Ordinal);
            await GenerateBuildRequiresAsync(srpm, installed, specs => InstallAsync(writable, specs, "installing the generated BuildRequires", list), stop);
        }

        var packages = File.ReadAllLines(list).Length;
        var digest = await Sha256Hex.OfFileAsync(list, stop);
        RootReport = new JobRootReport(root.Target, key, digest, packages, baseCached, Math.Round(resolve.TotalSeconds, 3), Math.Round(install.TotalSeconds, 3), null);
        await log.LineAsync($"build root ready after {clock.Elapsed.TotalSeconds:0.00}s (resolve {resolve.TotalSeconds:0.00}s, install {install.TotalSeconds:0.00}s): {packages} packages, digest {digest[..12]}");
        await UploadAsync(JobRootReport.PackagesArtifactKind, list, stop);
    }

    /// <summary>
    /// Installs <paramref name="root"/>'s base packages into a cache entry, behind the build that needed it: no log (the
    /// build may be over), its own dnf configuration in the entry (target repositories only: no token), the worker's
    /// sandbox. Throws when dnf fails; the cache then drops the entry.
    /// </summary>
    private async Task InstallBaseAsync(JobRoot root, BuildRootHost host, CachedEntry entry, CancellationToken stop)
    {
        var dnf = DnfSetup.Write(root, Path.Combine(entry.Directory, "config"), host.Cache.DnfCache(root.Target), null, null, null);
        try
        {
            var network = root.Repositories.Any(r => !r.Url.StartsWith("file:", StringComparison.OrdinalIgnoreCase));
            var request = new SandboxRequest(entry.Directory, [.. dnf.InstallCommand(root.BasePackages)], network, TimeSpan.FromHours(2), long.MaxValue,
                dnf.Binds, dnf.Environment, Root: new SandboxRoot(entry.Tree, SandboxRootUse.InstallInto));
            var tail = new OutputTail(TailBytes);
            var result = await sandbox.RunAsync(request, bytes =>
            {
                tail.Add(bytes.Span);
                return Task.CompletedTask;
            }, stop);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"dnf could not install the base root ({result.Outcome}, exit {result.ExitCode}): {DnfSetup.Reason(tail.ToString()) ?? result.StartProblem ?? "see dnf's output"}");
            }
        }
        finally
        {
            Directory.Delete(dnf.ConfigDirectory, recursive: true);
        }
    }

    /// <summary>
    /// Runs the spec's <c>%generate_buildrequires</c> in the root (<c>rpmbuild -rr</c>) and installs what it asks for,
    /// until it asks for nothing new.
    /// </summary>
    private async Task GenerateBuildRequiresAsync(string srpm, HashSet<string> installed, Func<IReadOnlyList<string>, Task> install, CancellationToken stop)
    {
        SandboxRequest InRoot(SandboxRequest request) => request with { Root = rootInside };
        var srpms = Path.Combine(workDirectory, "rpmbuild", "SRPMS");
        for (var round = 1; ; round++)
        {
            var command = new List<string> { "rpmbuild", "-rr" };
            command.AddRange(WorkerDefines());
            command.Add($"/build/{Path.GetRelativePath(workDirectory, srpm)}");
            var code = await RunStepAsync("generating BuildRequires (%generate_buildrequires)", [.. command], network: false, stop, InRoot,
                whyItFailed: _ => "the spec's %generate_buildrequires step failed; the end of the build log says why",
                alsoFine: new HashSet<int> { MoreBuildRequires });
            if (code == 0)
            {
                return;
            }

            var generated = Directory.Exists(srpms) ? Directory.GetFiles(srpms, "*.buildreqs.nosrc.rpm") : [];
            if (generated.Length != 1)
            {
                throw new JobFailedException("rpmbuild -rr asked for more BuildRequires but wrote no buildreqs.nosrc.rpm");
            }

            var (wanted, _) = ReadBuildRequires(generated[0]);
            File.Delete(generated[0]);
            var more = wanted.Where(installed.Add).ToList();
            if (more.Count == 0 || round == MaxDynamicRounds)
            {
                throw new JobFailedException(more.Count == 0
                    ? "the generated BuildRequires are installed, but rpmbuild still reports some missing; the end of the build log names them"
                    : $"%generate_buildrequires still asked for more after {MaxDynamicRounds} rounds");
            }

            await log.LineAsync($"generated BuildRequires: {string.Join(", ", more)}");
            await install(more);
        }
    }

    /// <summary>The BuildRequires a source package (or a buildreqs.nosrc.rpm) names, without rpmlib features; and whether it has dynamic ones.</summary>
    private static (List<string> Specs, bool Dynamic) ReadBuildRequires(string path)
    {
        var package = ReadPackage(path, Path.GetFileName(path));
        var requires = HeaderCapabilities.Requires(package.Header).ToList();
        return (requires.Where(r => !r.IsRpmlib).Select(r => r.ToString()).Distinct(StringComparer.Ordinal).ToList(),
            requires.Any(r => r.Name == DynamicFeature));
    }

    /// <summary>rpmbuild inside the root, read-only, without the network; BuildRequires are checked against the root's rpm database (no --nodeps).</summary>
    private async Task RebuildInRootAsync(string srpm, CancellationToken stop)
    {
        var command = new List<string> { "rpmbuild", "--rebuild" };
        command.AddRange(WorkerDefines());
        command.Add($"/build/{Path.GetRelativePath(workDirectory, srpm)}");
        var clock = Stopwatch.StartNew();
        try
        {
            await RunStepAsync("rpmbuild", [.. command], network: false, stop, request => request with { Root = rootInside });
        }
        finally
        {
            RootReport = RootReport! with { BuildSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3) };
        }
    }

    /// <summary>Removes the job's root layers (outside its work directory) and lets the cache drop an outdated base.</summary>
    private void ReleaseRoot()
    {
        foreach (var entry in rootEntries)
        {
            entry.Dispose();
        }

        if (rootArea is not null && Directory.Exists(rootArea))
        {
            try
            {
                Directory.Delete(rootArea, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next start of the worker removes leftovers of its work directory.
            }
        }
    }

    /// <summary>Downloads the lease's dependencies (checked like any) into a local repository dnf reads first.</summary>
    private async Task<string> DownloadJobRepositoryAsync(string directory, CancellationToken stop)
    {
        if (BuildDependencyRoot.FindProblem(lease.Dependencies!) is { } problem)
        {
            throw new JobFailedException(problem);
        }

        await DownloadDependenciesAsync(directory, stop);
        await RunStepAsync("indexing this build's dependencies", ["createrepo_c", "--quiet", "--no-database", "/build"], network: false, stop,
            request => request with { WorkDirectory = directory });
        return directory;
    }
}
