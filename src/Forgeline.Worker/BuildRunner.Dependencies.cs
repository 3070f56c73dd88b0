using System.Diagnostics;
using Forgeline.Core;
using Forgeline.Rpm;
using Forgeline.Worker.Dependencies;

namespace Forgeline.Worker;

/// <summary>The RPMs a job builds against (<see cref="Core.Workers.JobLease.Dependencies"/>).</summary>
public sealed partial class BuildRunner
{
    /// <summary>
    /// Downloads the lease's dependencies, checks each (digest, an RPM, not a source RPM), then unpacks them in the
    /// sandbox. Nothing is unpacked unless every download is sound.
    /// </summary>
    private async Task<BuildDependencyRoot> InstallDependenciesAsync(CancellationToken stop)
    {
        var dependencies = lease.Dependencies!;

        if (BuildDependencyRoot.FindProblem(dependencies) is { } problem)
        {
            throw new JobFailedException(problem);
        }

        var names = string.Join(", ", dependencies.Select(d => d.FileName));
        await log.LineAsync(dependencies.Count == 1 ? $"installing 1 build dependency: {names}" : $"installing {dependencies.Count} build dependencies: {names}");
        var clock = Stopwatch.StartNew();
        var root = new BuildDependencyRoot(workDirectory);
        root.Create();
        await DownloadDependenciesAsync(root.RpmDirectory, stop);

        foreach (var dependency in dependencies)
        {
            await RunStepAsync($"unpacking {dependency.FileName}", [.. BuildDependencyRoot.UnpackCommand(dependency.FileName)], network: false, stop,
                request => request with { WorkDirectory = root.Root, Binds = [root.RpmBind] });
        }

        var leftOut = root.Expose();
        if (leftOut.Count > 0)
        {
            await log.LineAsync($"not shown to the build (only /usr, /etc and /opt of dependencies are): {string.Join(", ", leftOut)}");
        }

        await log.LineAsync($"build dependencies ready after {clock.Elapsed.TotalSeconds:0.00}s");
        return root;
    }

    /// <summary>
    /// Downloads the lease's dependencies into <paramref name="directory"/> and checks each: its digest (the server's
    /// client checks it too; the worker does not rely on how the bytes reached it), an RPM, not a source RPM.
    /// </summary>
    private async Task DownloadDependenciesAsync(string directory, CancellationToken stop)
    {
        Directory.CreateDirectory(directory);
        foreach (var dependency in lease.Dependencies!)
        {
            var path = Path.Combine(directory, dependency.FileName);
            await DownloadAsync(dependency.Sha256, path, $"build dependency {dependency.FileName}", stop);
            var actual = await Sha256Hex.OfFileAsync(path, stop);
            if (actual != dependency.Sha256)
            {
                throw new JobErrorException($"build dependency {dependency.FileName} arrived corrupt: its sha256 is {actual}, the server stores it as {dependency.Sha256}");
            }

            CheckIsBinaryRpm(path, dependency.FileName);
        }
    }

    private static void CheckIsBinaryRpm(string path, string name)
    {
        var package = ReadPackage(path, $"build dependency {name}", "; rebuild the package it came from");
        if (package.IsSource)
        {
            throw new JobFailedException($"build dependency {name} is a source RPM ({package.Nevra}); a build can only depend on binary RPMs");
        }
    }

    /// <summary>The RPM at <paramref name="path"/>; <see cref="JobFailedException"/> "<paramref name="what"/> is not a valid RPM: …<paramref name="advice"/>" when it is not one.</summary>
    private static RpmPackage ReadPackage(string path, string what, string advice = "")
    {
        try
        {
            using var file = File.OpenRead(path);
            return RpmPackage.Read(file);
        }
        catch (RpmFormatException e)
        {
            throw new JobFailedException($"{what} is not a valid RPM: {e.Message}{advice}");
        }
    }
}
