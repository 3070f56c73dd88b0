namespace Forgeline.Testing;

/// <summary>
/// Recorded forge webhook payloads in <c>tests/fixtures</c> (or <c>FORGELINE_FIXTURES</c>). Read in place.
/// </summary>
public static class WebhookFixtures
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The fixtures folder.</summary>
    public static string Directory => Root.Value;

    /// <summary>The bytes of one fixture, e.g. <c>github-webhooks/issue_comment/created.payload.json</c>.</summary>
    public static byte[] Read(string relative) => File.ReadAllBytes(Path.Combine(Root.Value, relative));

    /// <summary>Every JSON fixture under a forge folder (e.g. <c>gitee-webhooks</c>), as paths relative to <see cref="Directory"/>, sorted.</summary>
    public static IEnumerable<string> All(string forgeFolder) =>
        System.IO.Directory.EnumerateFiles(Path.Combine(Root.Value, forgeFolder), "*.json", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root.Value, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("FORGELINE_FIXTURES") is { Length: > 0 } configured)
        {
            return configured;
        }

        // The repository keeps them in tests/fixtures (with their licences), so a clean clone has them.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures");
            if (System.IO.Directory.Exists(Path.Combine(candidate, "github-webhooks")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("no tests/fixtures folder above the test binaries; set FORGELINE_FIXTURES to the folder holding github-webhooks/, gitee-webhooks/ …");
    }
}
