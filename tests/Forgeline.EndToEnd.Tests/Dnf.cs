using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>The real dnf against a served repository: a private configuration, an empty installroot, signatures checked.</summary>
internal static class Dnf
{
    /// <summary>Installs <paramref name="packages"/> into <paramref name="root"/> from the repository <paramref name="repoFile"/> describes; throws with dnf's output when it fails.</summary>
    public static async Task InstallAsync(string work, string root, string repoFile, params string[] packages)
    {
        var reposDir = Path.Combine(work, "repos.d");
        Directory.CreateDirectory(reposDir);
        Directory.CreateDirectory(root);
        repoFile.ShouldContain("gpgcheck=1");
        repoFile.ShouldContain("repo_gpgcheck=1");
        await File.WriteAllTextAsync(Path.Combine(reposDir, "project.repo"), repoFile);
        var config = Path.Combine(work, "dnf.conf");
        await File.WriteAllTextAsync(config, $"""
            [main]
            reposdir={reposDir}
            cachedir={Path.Combine(work, "cache")}
            logdir={Path.Combine(work, "log")}
            persistdir={Path.Combine(work, "persist")}
            gpgcheck=1
            repo_gpgcheck=1
            install_weak_deps=False
            keepcache=False
            """);
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("dnf",
            ["-c", config, "--installroot", root, "--releasever", "1", "--setopt=tsflags=nodocs", "-y", "install", .. packages], work);
        code.ShouldBe(0, $"dnf failed:\n{stdout}\n{stderr}");
    }
}
