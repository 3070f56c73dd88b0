using Forgeline.Core.Builds;
using Forgeline.Core.Projects;
using Forgeline.Core.Sources;
using Forgeline.Testing;

namespace Forgeline.Worker.Tests.Specs;

/// <summary>Sources for spec reading, made as users make them: a packed directory, an SRPM from rpmbuild, a git repository.</summary>
internal static class SpecSources
{
    /// <summary>Writes <paramref name="files"/> (name → content) into a new directory under <paramref name="parent"/>; returns it.</summary>
    public static string Directory(string parent, IReadOnlyDictionary<string, string> files)
    {
        var dir = Path.Combine(parent, "d-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(dir, name);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        return dir;
    }

    /// <summary>A request for <paramref name="directory"/> packed as the CLI packs it.</summary>
    public static SpecReadRequest Packed(string directory, IReadOnlyDictionary<string, string>? macros = null, string? specPath = null)
    {
        var archive = directory + ".tar.gz";
        using (var file = File.Create(archive))
        {
            SourceArchive.Pack(directory, file);
        }

        return new SpecReadRequest(new BuildSource(SourceKind.Directory, Blob: new string('0', 64), SpecPath: specPath), archive, "x86_64", macros);
    }

    /// <summary>Makes an SRPM of the spec <paramref name="specName"/> in <paramref name="directory"/> with the host's rpmbuild; returns its path.</summary>
    public static async Task<string> SrpmAsync(string directory, string specName)
    {
        var output = Path.Combine(directory, "..", "srpm-" + Guid.NewGuid().ToString("N")[..8]);
        await ProcessRunner.RunCheckedAsync("rpmbuild", "-bs", "--nodeps", "--define", $"_topdir {output}/top", "--define", $"_sourcedir {directory}",
            "--define", $"_srcrpmdir {output}", Path.Combine(directory, specName));
        return System.IO.Directory.GetFiles(output, "*.src.rpm").Single();
    }

    /// <summary>Makes <paramref name="directory"/> a git repository with one commit; returns the commit's sha.</summary>
    public static async Task<string> CommitAsync(string directory, string message, bool init = true)
    {
        if (init)
        {
            await GitAsync(directory, "init", "-q", "-b", "main");
        }

        await GitAsync(directory, "add", "-A");
        await GitAsync(directory, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message);
        return (await GitAsync(directory, "rev-parse", "HEAD")).Trim();
    }

    /// <summary>Runs git in <paramref name="directory"/>; returns its output.</summary>
    public static Task<string> GitAsync(string directory, params string[] args) => ProcessRunner.RunCheckedAsync("git", ["-C", directory, .. args]);
}
