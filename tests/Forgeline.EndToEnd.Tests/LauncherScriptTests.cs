using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// The checkout's <c>./forgeline</c> launcher publishes the CLI only when a source changed. The real script runs in a
/// scratch copy of the layout whose <c>scripts/publish</c> writes a one-line executable and counts its calls, so each case
/// costs milliseconds instead of a Release publish.
/// </summary>
public sealed class LauncherScriptTests
{
    private static readonly string[] Sources =
        ["src/Forgeline/Program.cs", "src/Forgeline/Forgeline.csproj", "src/Forgeline.Web/Pages/Index.cshtml", "src/Forgeline.Web/wwwroot/site.css", "Directory.Build.props", "Directory.Packages.props"];

    private static readonly string[] BuildOutputs =
        ["src/Forgeline/obj/Debug/net10.0/Forgeline.AssemblyInfo.cs", "src/Forgeline/obj/project.assets.json", "src/Forgeline/bin/Debug/net10.0/forgeline.dll", "src/Forgeline.Web/obj/Debug/net10.0/Forgeline.Web.GlobalUsings.g.cs"];

    public static TheoryData<string> ChangedSources => [.. Sources];

    public static TheoryData<string> ChangedBuildOutputs => [.. BuildOutputs];

    [Theory]
    [MemberData(nameof(ChangedBuildOutputs))]
    public async Task A_newer_build_output_does_not_rebuild(string changed)
    {
        using var checkout = ScratchCheckout();
        (await RunAsync(checkout)).ShouldBe("ran version");
        PublishCount(checkout).ShouldBe(1, "the first call publishes: there is no executable yet");

        File.SetLastWriteTimeUtc(checkout[changed], DateTime.UtcNow.AddMinutes(5));
        (await RunAsync(checkout)).ShouldBe("ran version");
        (await RunAsync(checkout)).ShouldBe("ran version");
        PublishCount(checkout).ShouldBe(1, $"{changed} is a build output, not a source");
    }

    [Theory]
    [MemberData(nameof(ChangedSources))]
    public async Task A_newer_source_rebuilds_once(string changed)
    {
        using var checkout = ScratchCheckout();
        (await RunAsync(checkout)).ShouldBe("ran version");
        (await RunAsync(checkout)).ShouldBe("ran version");
        PublishCount(checkout).ShouldBe(1, "nothing changed after the first publish");

        // Newer than the executable, but not in the future: the publish that follows must make the executable newer.
        File.SetLastWriteTimeUtc(checkout["artifacts/forgeline/forgeline"], DateTime.UtcNow.AddMinutes(-5));
        File.SetLastWriteTimeUtc(checkout[changed], DateTime.UtcNow.AddMinutes(-1));
        (await RunAsync(checkout)).ShouldBe("ran version");
        PublishCount(checkout).ShouldBe(2, $"{changed} is a source");
        (await RunAsync(checkout)).ShouldBe("ran version");
        PublishCount(checkout).ShouldBe(2, "the executable is newer than every source again");
    }

    private static TempDirectory ScratchCheckout()
    {
        var checkout = new TempDirectory("forgeline-launcher");
        File.Copy(Path.Combine(ForgelineBinary.RepositoryRoot, "forgeline"), checkout["forgeline"]);
        File.SetUnixFileMode(checkout["forgeline"], (UnixFileMode)0b111_101_101);
        var past = DateTime.UtcNow.AddHours(-1);
        foreach (var file in Sources.Concat(BuildOutputs))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(checkout[file])!);
            File.WriteAllText(checkout[file], "");
            File.SetLastWriteTimeUtc(checkout[file], past);
        }

        Directory.CreateDirectory(checkout["scripts"]);
        File.WriteAllText(checkout["scripts/publish"], """
            #!/bin/sh
            set -e
            root="$(cd "$(dirname "$0")/.." && pwd)"
            echo published >> "$root/publish-count"
            mkdir -p "$root/artifacts/forgeline"
            printf '#!/bin/sh\necho ran "$@"\n' > "$root/artifacts/forgeline/forgeline"
            chmod +x "$root/artifacts/forgeline/forgeline"

            """);
        File.SetUnixFileMode(checkout["scripts/publish"], (UnixFileMode)0b111_101_101);
        return checkout;
    }

    private static async Task<string> RunAsync(TempDirectory checkout)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(checkout["forgeline"], ["version"], timeout: TimeSpan.FromSeconds(30));
        code.ShouldBe(0, stderr);
        return stdout.Trim();
    }

    private static int PublishCount(TempDirectory checkout) =>
        File.Exists(checkout["publish-count"]) ? File.ReadAllLines(checkout["publish-count"]).Length : 0;
}
