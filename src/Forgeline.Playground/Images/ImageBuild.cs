using System.Diagnostics;
using System.Runtime.InteropServices;
using Forgeline.Core.Playground;
using Forgeline.Core.Workers;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Playground.Images;

/// <summary>
/// One image being built in its partial directory: everything that is not the rootfs goes into one upper directory,
/// <c>layer</c>, written through an overlayfs mount over the rootfs layers (<paramref name="lowers"/>), or directly
/// when there is no rootfs. The steps, in order: extract a rootfs archive into <c>base</c>, install the packages with
/// the host's dnf, write the files, run the setup script, add the learner's account.
/// </summary>
/// <param name="partial">The partial directory; the caller removes it on failure.</param>
/// <param name="lowers">The layers under <c>layer</c>, top first, at their paths during the build.</param>
/// <param name="progress">Gets a line per step and the steps' output.</param>
internal sealed partial class ImageBuild(string partial, IReadOnlyList<string> lowers, IProgress<string>? progress)
{
    private IReadOnlyList<string> Lowers => lowers;

    private string Layer => Path.Combine(partial, "layer");

    private string Work => Path.Combine(partial, "work");

    private string MountPoint => Path.Combine(partial, "merged");

    /// <summary>Runs every step <paramref name="definition"/> asks for; throws <see cref="PlaygroundImageException"/> naming the step that failed.</summary>
    public async Task RunAsync(PlaygroundImageDefinition definition, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Layer);
        Directory.CreateDirectory(Work);
        Directory.CreateDirectory(MountPoint);
        if (definition.Rootfs is { } rootfs && PlaygroundImageRules.IsArchive(rootfs))
        {
            await ExtractAsync(rootfs, Path.Combine(partial, "base"), cancellationToken);
        }

        if (definition.Packages is { Count: > 0 } packages)
        {
            await InstallPackagesAsync(definition, packages, cancellationToken);
        }

        if (definition.Files is { Count: > 0 } files)
        {
            await WriteFilesAsync(files, cancellationToken);
        }

        if (definition.Setup is { } setup)
        {
            progress?.Report("running the setup script");
            await RunStepAsync("the setup script", setup, [], null, cancellationToken);
        }

        await RunStepAsync("adding the learner's account", LearnerScript, [], null, cancellationToken);
        foreach (var scratch in new[] { Work, MountPoint, Path.Combine(partial, "files"), Path.Combine(partial, "dnf") })
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private async Task ExtractAsync(string archive, string destination, CancellationToken cancellationToken)
    {
        progress?.Report($"extracting {Path.GetFileName(archive)}");
        Directory.CreateDirectory(destination);
        // GNU tar refuses members with '..' and strips a leading '/', and makes "dangerous" symlinks placeholders until
        // the end, so nothing lands outside the destination; any refusal makes its exit status nonzero.
        var start = new ProcessStartInfo("tar") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-x", "--numeric-owner", "-p", "-f", archive, "-C", destination])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new PlaygroundImageException("could not run tar");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        var errors = (await stderr).Trim();
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new PlaygroundImageException($"extracting the rootfs {archive} failed (tar exit {process.ExitCode}): {Last(errors, 5)}");
        }
    }

    private async Task InstallPackagesAsync(PlaygroundImageDefinition definition, IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        progress?.Report(packages.Count == 1 ? $"installing {packages[0]}" : $"installing {packages.Count} packages");
        var scratch = Path.Combine(partial, "dnf");
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64";
        var root = new JobRoot("playground", arch, definition.Repositories ?? [], packages, ReleaseVersion: definition.ReleaseVersion);
        var dnf = DnfSetup.Write(root, Path.Combine(scratch, "config"), Path.Combine(scratch, "cache"), null, null, null);
        var workDirectory = Path.Combine(scratch, "work");
        Directory.CreateDirectory(workDirectory);
        var into = Lowers.Count == 0
            ? new SandboxRoot(Layer, SandboxRootUse.InstallInto)
            : new SandboxRoot(MountPoint, SandboxRootUse.InstallInto, Lowers, Layer, Work);
        var network = root.Repositories.Any(r => r.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase));
        var request = new SandboxRequest(workDirectory, [.. dnf.InstallCommand(packages)], network, TimeSpan.FromHours(1), long.MaxValue, dnf.Binds, dnf.Environment, Root: into);
        var output = new StepOutput(progress, keepLines: 60);
        var result = await new BubblewrapSandbox().RunAsync(request, bytes =>
        {
            output.Add(bytes.Span);
            return Task.CompletedTask;
        }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (!result.Succeeded)
        {
            var tail = output.Tail();
            throw new PlaygroundImageException($"installing the packages failed: {DnfSetup.Reason(tail) ?? result.StartProblem ?? Last(tail, 5)}");
        }

        File.Move(Path.Combine(workDirectory, "packages.txt"), Path.Combine(partial, "packages.txt"));
    }

    private async Task WriteFilesAsync(IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        progress?.Report(files.Count == 1 ? "writing 1 file" : $"writing {files.Count} files");
        // The contents go in through a read-only directory on the script's private /tmp; the script writes each where
        // the image's own paths lead (its symlinks resolve inside the image).
        var input = Path.Combine(partial, "files");
        Directory.CreateDirectory(input);
        var arguments = new List<string>();
        var n = 0;
        foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            await File.WriteAllTextAsync(Path.Combine(input, $"{n}"), content, cancellationToken);
            arguments.AddRange([path, content.StartsWith("#!", StringComparison.Ordinal) ? "0755" : "0644", $"{n}"]);
            n++;
        }

        await RunStepAsync("writing the files", FilesScript, arguments, input, cancellationToken);
    }

    private async Task RunStepAsync(string step, string script, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var output = new StepOutput(progress);
        var code = await ImageSandbox.RunAsync(Layer, Lowers, Work, MountPoint, script, arguments, input, output, cancellationToken);
        if (code != 0)
        {
            var tail = output.Tail();
            var hint = tail.Contains("execvp /bin/sh", StringComparison.Ordinal) ? " (the image has no /bin/sh: install a shell, e.g. bash)" : "";
            throw new PlaygroundImageException($"{step} failed (exit {code}){hint}: {(tail.Length > 0 ? tail : "no output")}");
        }
    }

    private static string Last(string text, int lines) => string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}
