using System.CommandLine;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;
using Forgeline.Core.Sources;

namespace Forgeline.Cli;

/// <summary><c>forgeline build SOURCE</c>: submits a directory, an SRPM or a git repository.</summary>
public static class BuildCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var source = new Argument<string[]>("source") { Description = "A directory with a spec file, a .src.rpm, or a git URL; with --project, names of the project's packages", Arity = ArgumentArity.OneOrMore };
        var project = new Option<string?>("--project", "-p") { Description = "Build these packages of a project together, in dependency order, and publish them to its repositories" };
        var gitRef = new Option<string?>("--ref") { Description = "Git branch, tag or commit (git sources)" };
        var spec = new Option<string?>("--spec") { Description = "Path of the spec file inside the directory or repository" };
        var arch = new Option<string?>("--arch") { Description = "Architecture to build for (default: the server's)" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Stream the build log and wait for the result" };
        var priority = new Option<string>("--priority") { Description = "high, normal or low: order among your own queued builds", DefaultValueFactory = _ => "normal" };
        var labels = new Option<string[]>("--label") { Description = "A worker label the build needs, e.g. kvm (repeatable)", AllowMultipleArgumentsPerToken = false };
        var defines = new Option<string[]>("--define", "-D") { Description = "An RPM macro for the build: 'NAME VALUE' (repeatable)" };
        var noCache = new Option<bool>("--no-cache") { Description = "Build even if an identical build already succeeded" };
        var target = new Option<string?>("--target") { Description = "Build in a clean root of this build target ('forgeline target list'); default: the worker's own toolchain" };
        var command = new Command("build", "Submit a build") { source, project, gitRef, spec, arch, follow, priority, labels, defines, noCache, target };
        command.SetAction((parse, cancellationToken) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var json = parse.GetValue(ForgelineCommandLine.JsonOption);
            var sources = parse.GetValue(source)!;
            if (parse.GetValue(project) is { } projectName)
            {
                var batch = await client.BuildProjectAsync(projectName, sources, cancellationToken);
                return await BatchOutput.ReportAsync(client, batch, parse.GetValue(follow), json, cancellationToken);
            }

            if (sources.Length != 1)
            {
                throw new CliException("give one source to build (several names need --project)");
            }

            var buildSource = await PrepareSourceAsync(client, sources[0], parse.GetValue(gitRef), parse.GetValue(spec), cancellationToken);
            var request = new SubmitBuildRequest(
                buildSource,
                parse.GetValue(arch),
                BuildPriorities.Parse(parse.GetValue(priority)) ?? throw new CliException($"--priority must be high, normal or low, not '{parse.GetValue(priority)}'"),
                parse.GetValue(labels),
                ParseDefines(parse.GetValue(defines)),
                parse.GetValue(noCache),
                parse.GetValue(target));
            var build = await client.SubmitBuildAsync(request, cancellationToken);
            if (build.CachedFrom is { } cachedFrom && !json)
            {
                await Console.Error.WriteLineAsync($"forgeline: build {build.Id} is cached from build {cachedFrom}: same inputs, same build environment; nothing was rebuilt (--no-cache builds anyway)");
            }

            if (!parse.GetValue(follow))
            {
                if (json)
                {
                    BuildOutput.Json(build);
                }
                else
                {
                    Console.WriteLine(build.Id);
                }

                return 0;
            }

            return await BuildOutput.FollowAsync(client, build.Id, json, cancellationToken);
        }));
        return command;
    }

    /// <summary>--define NAME VALUE options as macros.</summary>
    internal static Dictionary<string, string>? ParseDefines(string[]? defines)
    {
        if (defines is not { Length: > 0 })
        {
            return null;
        }

        var macros = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var define in defines)
        {
            var parts = define.Trim().Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new CliException($"--define takes 'NAME VALUE' (e.g. --define 'dist .oe2403'), not '{define}'");
            }

            macros[parts[0].TrimStart('%')] = parts[1];
        }

        return macros;
    }

    /// <summary>Turns what the user typed into a build source: a git URL as it is, a directory or SRPM uploaded first (with progress).</summary>
    internal static async Task<BuildSource> PrepareSourceAsync(ForgelineClient client, string source, string? gitRef, string? spec, CancellationToken cancellationToken)
    {
        if (IsGitUrl(source))
        {
            return new BuildSource(SourceKind.Git, Url: source, Ref: gitRef, SpecPath: spec);
        }

        if (gitRef is not null)
        {
            throw new CliException("--ref applies to git sources only");
        }

        if (Directory.Exists(source))
        {
            var tarball = Path.Combine(Path.GetTempPath(), $"forgeline-{Guid.NewGuid():N}.tar.gz");
            try
            {
                await using (var file = File.Create(tarball))
                {
                    SourceArchive.Pack(source, file);
                }

                var name = Path.GetFileName(Path.GetFullPath(source).TrimEnd('/')) + ".tar.gz";
                var upload = await UploadAsync(client, tarball, "directory", name, cancellationToken);
                return new BuildSource(SourceKind.Directory, upload.Sha256, name, SpecPath: spec);
            }
            finally
            {
                File.Delete(tarball);
            }
        }

        if (File.Exists(source))
        {
            if (spec is not null)
            {
                throw new CliException("--spec applies to directories and git sources; an SRPM carries its spec");
            }

            var upload = await UploadAsync(client, source, "srpm", Path.GetFileName(source), cancellationToken);
            return new BuildSource(SourceKind.Srpm, upload.Sha256, Path.GetFileName(source));
        }

        throw new CliException($"'{source}' is not a directory, a file or a git URL");
    }

    private static bool IsGitUrl(string source) =>
        source.StartsWith("git@", StringComparison.Ordinal) ||
        (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "git" or "ssh");

    private static async Task<UploadResult> UploadAsync(ForgelineClient client, string path, string kind, string name, CancellationToken cancellationToken)
    {
        var sha = await Sha256Hex.OfFileAsync(path, cancellationToken);
        return await CliProgress.RunAsync($"Uploading {name}", new FileInfo(path).Length, bytes: true, async progress =>
        {
            await using var file = File.OpenRead(path);
            await using var counted = new ProgressStream(file, progress);
            return await client.UploadAsync(counted, kind, name, sha, cancellationToken);
        });
    }
}
