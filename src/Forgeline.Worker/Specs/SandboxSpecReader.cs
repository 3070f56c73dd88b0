using System.Text.RegularExpressions;
using Forgeline.Core.Builds;
using Forgeline.Core.Projects;
using Forgeline.Core.Sources;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Specs;

/// <summary>
/// Reads specs with rpmspec inside the build sandbox. rpmspec runs a spec's <c>%(…)</c> shell and Lua macros, so a
/// user's spec is never parsed on the host: the sources are unpacked, extracted or cloned in the sandbox (network for
/// <c>git clone</c> only, with the same commands builds use), then rpmspec runs there with the request's macros,
/// under <see cref="SpecReaderLimits"/>.
/// </summary>
/// <param name="sandbox">The build sandbox.</param>
/// <param name="workRoot">Where each read gets a fresh directory (removed afterwards).</param>
/// <param name="limits">Time and size limits; <see cref="SpecReaderLimits.Default"/> when null.</param>
/// <param name="time">The clock of the deadline.</param>
public sealed partial class SandboxSpecReader(BubblewrapSandbox sandbox, string workRoot, SpecReaderLimits? limits = null, TimeProvider? time = null) : ISpecReader
{
    // rpm's messages of a failed step are searched for in the last bytes only.
    private const int TailBytes = 8 * 1024;

    // 128 + SIGXFSZ: a command wrote a file past ulimit -f.
    private const int FileTooLarge = 128 + 25;

    private readonly SpecReaderLimits limits = limits ?? SpecReaderLimits.Default;
    private readonly TimeProvider time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task<SpecFacts> ReadAsync(SpecReadRequest request, CancellationToken cancellationToken)
    {
        if (RpmMacros.FindProblem(request.Macros) is { } badMacro)
        {
            throw new SpecReadException(badMacro);
        }

        if (!ArchPattern().IsMatch(request.Arch))
        {
            throw new SpecReadException($"architecture '{request.Arch}' is not valid: use letters, digits and '_', e.g. x86_64");
        }

        var work = Path.Combine(workRoot, "spec-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(work, "src"));
        var read = new ReadState(work, time.GetUtcNow() + this.limits.Timeout);
        try
        {
            string? commit = null;
            switch (request.Source.Kind)
            {
                case SourceKind.Directory:
                    await UnpackDirectoryAsync(read, request, cancellationToken);
                    break;
                case SourceKind.Srpm:
                    await ExtractSrpmAsync(read, request, cancellationToken);
                    break;
                case SourceKind.Git:
                    commit = await CloneAsync(read, request.Source, cancellationToken);
                    break;
                default:
                    throw new SpecReadException($"specs of sources of kind {request.Source.Kind} cannot be read; use an SRPM, a directory or a git repository");
            }

            var (spec, problem) = SpecLocator.Find(Path.Combine(work, "src"), request.Source.Kind == SourceKind.Srpm ? null : request.Source.SpecPath);
            if (spec is null)
            {
                throw new SpecReadException(problem!);
            }

            return await QueryAsync(read, spec, request, commit, cancellationToken);
        }
        finally
        {
            RemoveTree(work);
        }
    }

    private async Task UnpackDirectoryAsync(ReadState read, SpecReadRequest request, CancellationToken stop)
    {
        var archive = Path.Combine(read.Work, "source.tar.gz");
        CopySource(request, archive);
        await using (var file = File.OpenRead(archive))
        {
            if (SourceArchive.FindProblem(file) is { } problem)
            {
                throw new SpecReadException($"the source archive is unsafe: {problem}");
            }
        }

        await StepAsync(read, "unpacking the sources", SourceCommands.Unpack("/build/source.tar.gz", "/build/src"), network: false, stop);
    }

    private async Task ExtractSrpmAsync(ReadState read, SpecReadRequest request, CancellationToken stop)
    {
        CopySource(request, Path.Combine(read.Work, "source.src.rpm"));
        // Everything, not just the spec: a spec may %include or load one of its sources.
        var script = $"set -o pipefail; ulimit -f {limits.FileLimitBytes / 512}; cd /build/src && rpm2cpio /build/source.src.rpm | cpio -idm --quiet --no-absolute-filenames";
        await StepAsync(read, "extracting the source RPM", ["bash", "-c", script], network: false, stop,
            failure: (_, tail) => $"the source RPM could not be unpacked ({LastLines(tail)}); upload an SRPM made with rpmbuild -bs");
    }

    /// <summary>Clones with the network (for this step only), checks out the ref, and returns the commit read.</summary>
    private async Task<string> CloneAsync(ReadState read, BuildSource source, CancellationToken stop)
    {
        if (source.Url is not { Length: > 0 } url)
        {
            throw new SpecReadException("a git source needs a repository URL");
        }

        await StepAsync(read, "git clone", SourceCommands.GitClone(url, "/build/src"), network: true, stop, transient: GitNetworkFailure.Find);
        await StepAsync(read, "git checkout", SourceCommands.GitCheckout("/build/src", source.Ref), network: false, stop);
        var output = await StepAsync(read, "git rev-parse", ["git", "-C", "/build/src", "rev-parse", "--verify", "HEAD^{commit}"], network: false, stop);
        var commit = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        if (!CommitPattern().IsMatch(commit))
        {
            throw new SpecReadException($"git did not name the commit it checked out (it said '{commit}')");
        }

        // Builds remove .git before rpmbuild sees the sources; a spec must read the same way here.
        RemoveTree(Path.Combine(read.Work, "src", ".git"));
        return commit;
    }

    private async Task<SpecFacts> QueryAsync(ReadState read, string spec, SpecReadRequest request, string? commit, CancellationToken stop)
    {
        var inside = "/build/" + Path.GetRelativePath(read.Work, Path.GetDirectoryName(spec)!);
        var command = new List<string> { "sh", "-c", RpmspecQueries.Script(limits.FileLimitBytes), "sh", $"{inside}/{Path.GetFileName(spec)}", "--target", request.Arch };
        command.AddRange(RpmMacros.WithWorkerDefines(request.Macros));
        command.AddRange(["--define", $"_sourcedir {inside}", "--define", $"_specdir {inside}"]);
        await StepAsync(read, "rpmspec", [.. command], network: false, stop, environment: RpmspecQueries.Environment,
            failure: (code, tail) => code == FileTooLarge
                ? $"the spec wrote a file larger than {limits.FileLimitBytes} bytes while it was read; it was stopped"
                : $"the spec could not be parsed: {RpmErrors(tail)}");
        return RpmspecQueries.Parse(ReadFact(read, "source"), ReadFact(read, "packages"), commit);
    }

    /// <param name="read">The read in progress.</param>
    /// <param name="step">The step's name in messages.</param>
    /// <param name="command">What runs in the sandbox.</param>
    /// <param name="network">Whether it may use the network.</param>
    /// <param name="stop">Cancellation.</param>
    /// <param name="environment">Extra variables.</param>
    /// <param name="transient">Given the end of a failed step's output, the reason when the failure is not the package's.</param>
    /// <param name="failure">Given the exit code and the end of the output, the message for a failure.</param>
    /// <returns>The end of the step's output.</returns>
    private async Task<string> StepAsync(ReadState read, string step, string[] command, bool network, CancellationToken stop,
        IReadOnlyDictionary<string, string>? environment = null, Func<string, string?>? transient = null, Func<int, string, string>? failure = null)
    {
        var left = read.Deadline - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            throw new SpecReadException($"reading the spec took longer than {limits.Timeout.TotalSeconds:0}s and was stopped before {step}");
        }

        var tail = new OutputTail(TailBytes);
        var request = new SandboxRequest(read.Work, command, network, left, limits.OutputLimitBytes - read.OutputBytes, Environment: environment);
        var result = await sandbox.RunAsync(request, bytes =>
        {
            tail.Add(bytes.Span);
            return Task.CompletedTask;
        }, stop);
        read.OutputBytes += result.OutputBytes;
        var output = tail.ToString();
        switch (result.Outcome)
        {
            case SandboxOutcome.FailedToStart:
                throw new SpecReadException($"the sandbox could not start for {step}: {result.StartProblem}", transient: true);
            case SandboxOutcome.TimedOut:
                throw new SpecReadException($"reading the spec took longer than {limits.Timeout.TotalSeconds:0}s during {step} and was stopped; "
                    + "a %(…) or Lua macro that does not end, or a repository too large to clone in time, does this");
            case SandboxOutcome.OutputLimitExceeded:
                throw new SpecReadException($"{step} printed more than {limits.OutputLimitBytes} bytes and was stopped; the spec's macros print too much");
            case SandboxOutcome.Stopped:
                stop.ThrowIfCancellationRequested();
                throw new OperationCanceledException(stop);
            case SandboxOutcome.Exited when result.ExitCode != 0:
                if (transient?.Invoke(output) is { } reason)
                {
                    throw new SpecReadException($"{step} failed: {reason}", transient: true);
                }

                if (output.Contains("No space left on device", StringComparison.Ordinal) || output.Contains("Disk quota exceeded", StringComparison.Ordinal))
                {
                    throw new SpecReadException($"{step} failed: the worker ran out of disk space", transient: true);
                }

                throw new SpecReadException(failure?.Invoke(result.ExitCode, output) ?? $"{step} failed with exit code {result.ExitCode}: {LastLines(output)}");
        }

        return output;
    }

    private string ReadFact(ReadState read, string name)
    {
        var path = Path.Combine(read.Work, "facts", name);
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null)
        {
            throw new SpecReadException("rpmspec finished without writing what it read; the spec's macros may have removed it");
        }

        return info.Length <= limits.FileLimitBytes ? File.ReadAllText(path) : throw new SpecReadException($"rpmspec's answer is larger than {limits.FileLimitBytes} bytes");
    }

    private static void CopySource(SpecReadRequest request, string destination)
    {
        if (request.SourceFile is not { Length: > 0 } file || !File.Exists(file))
        {
            throw new SpecReadException($"the {request.Source.Kind} source's file '{request.SourceFile}' does not exist; upload the sources again");
        }

        File.Copy(file, destination);
    }

    /// <summary>rpm's own error lines, without the closing "query of specfile … failed" that adds nothing.</summary>
    private static string RpmErrors(string output)
    {
        var errors = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("error:", StringComparison.Ordinal) && !line.Contains("query of specfile", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Take(5).ToList();
        return errors.Count > 0 ? string.Join(" / ", errors) : LastLines(output);
    }

    private static string LastLines(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(it printed nothing)" : string.Join(" / ", lines.TakeLast(3));
    }

    private static void RemoveTree(string path) => WorkTree.Remove(path);

    [GeneratedRegex(@"^[A-Za-z0-9_]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ArchPattern();

    [GeneratedRegex(@"^([0-9a-f]{40}|[0-9a-f]{64})\z", RegexOptions.CultureInvariant)]
    private static partial Regex CommitPattern();

    /// <summary>One read's directory, deadline and output so far.</summary>
    private sealed class ReadState(string work, DateTimeOffset deadline)
    {
        public string Work { get; } = work;

        public DateTimeOffset Deadline { get; } = deadline;

        public long OutputBytes { get; set; }
    }
}
