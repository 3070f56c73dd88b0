using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forgeline.Core.Images;
using Forgeline.Testing;
using Forgeline.Testing.Images;
using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// Image CI as a project uses it, on a real <c>forgeline server</c> whose embedded worker runs image jobs: an image built
/// by dnf from a base distribution (the tiny one, made here from Debian's kernel and busybox) and the project's own
/// repository, signed with the project's key; a nightly plan booting it in QEMU (TCG), checking the project's package,
/// then a daily-upgrade job that boots the first job's disk and upgrades from the newer publication; the matrix and the
/// run in Chromium; and the failures: a missing package, and the review bot's URL job with a wrong and a right token.
/// </summary>
public sealed class ImageTests : IAsyncLifetime
{
    private const float Patience = 60_000;
    private const string Project = "tinyos";
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Forgeline__Images__CoordinatorIntervalSeconds"] = "1",
        ["Forgeline__Images__PublicUrl"] = "https://forgeline.example",
    };
    private TinyDistribution distribution = null!;
    private ForgelineServer server = null!;

    public async Task InitializeAsync()
    {
        distribution = await TinyDistribution.GetAsync();
        server = await ForgelineServer.StartAsync(embeddedWorker: true, Settings);
        (await server.CliAsync("project", "create", Project)).ExitCode.ShouldBe(0);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_publication_starts_the_nightly_plan_which_boots_the_signed_image_checks_the_package_and_upgrades_it_and_the_matrix_shows_it()
    {
        // fl-motd 1.0-1 is built by the project and published in its repository.
        var motd = ProjectSpecs.Write(server.Home["in"], "fl-motd", content: "release 1", release: "1");
        (await server.CliAsync("project", "add-package", Project, "fl-motd", motd)).ExitCode.ShouldBe(0);
        var first = await server.CliAsync("build", "--project", Project, "fl-motd", "--follow");
        first.ExitCode.ShouldBe(0, first.Stdout + first.Stderr);

        await SetImageAsync(["fl-base", "fl-kernel", "fl-rpm", "fl-motd-1.0-1"]);
        var plan = await SetPlanAsync("""
            name: nightly
            image: tiny
            triggers: [publication, manual]
            jobs:
              - name: install
                publish_disk: true
                memory_mb: 256
                timeout_seconds: 300
                steps:
                  - wait: FL-READY
                  - run: /usr/bin/rpm -q fl-motd | grep -x fl-motd-1.0-1.noarch
                  - run: grep -x 'release 1' /usr/share/fl-motd/fl-motd.txt
                  - run: printf '<testsuite name="install"><testcase name="fl-motd"/><testcase name="motd-text"/></testsuite>' > /tmp/install.xml
                  - junit: /tmp/install.xml
              - name: daily-upgrade
                boot: install
                repository: true
                memory_mb: 256
                timeout_seconds: 300
                steps:
                  - wait: FL-READY
                  - run: mkdir -p /mnt && mount -t iso9660 -o ro /dev/vdb /mnt
                  - run: /usr/bin/rpm -Uvh /mnt/fl-motd-1.0-2.noarch.rpm
                  - run: /usr/bin/rpm -q fl-motd | grep -x fl-motd-1.0-2.noarch
                  - run: grep -x 'release 2' /usr/share/fl-motd/fl-motd.txt
            """);
        plan.ExitCode.ShouldBe(0, plan.Stderr);

        // The project publishes fl-motd 1.0-2: that publication starts the plan. The image pins 1.0-1 (the repository keeps
        // both); the upgrade job takes 1.0-2 from the publication, given to the guest as a disk.
        File.WriteAllText(Path.Combine(motd, "fl-motd.spec"), File.ReadAllText(Path.Combine(motd, "fl-motd.spec")).Replace("release 1", "release 2", StringComparison.Ordinal)
            .Replace("Release:        1", "Release:        2", StringComparison.Ordinal));
        (await server.CliAsync("project", "edit-package", Project, "fl-motd", motd)).ExitCode.ShouldBe(0);
        var second = await server.CliAsync("build", "--project", Project, "fl-motd", "--follow");
        second.ExitCode.ShouldBe(0, second.Stdout + second.Stderr);

        using var client = server.Client();
        var published = await WaitForAsync(async () => (await client.ListImageRunsAsync(Project, "nightly")).FirstOrDefault(r => r.Trigger == "publication"), "a run started by the publication");
        var run = await WaitForAsync(async () => await client.GetImageRunAsync(published.Id) is { FinishedAt: not null } done ? done : null, "the publication's run to end", TimeSpan.FromMinutes(8));
        var describe = await DescribeAsync(client, run);
        run.State.ShouldBe("passed", describe);
        run.Jobs.Select(j => (j.Name, j.State)).ShouldBe([("install", "passed"), ("daily-upgrade", "passed")], describe);
        var install = run.Jobs[0];
        install.JUnit.ShouldBe(["junit-5.xml"]);
        install.DiskSha256.ShouldNotBeNull("install publishes its disk");
        run.Jobs[1].BaseSha256.ShouldBe(install.DiskSha256, "daily-upgrade boots the disk install left");

        // The image's files are signed with the project's key: gpg accepts them, and the job's log has the console.
        var image = await client.GetImageBuildAsync(run.ImageBuildId!.Value);
        image.Files.Select(f => f.Format).Order().ShouldBe(["initrd", "qcow2", "vmlinux"]);
        await VerifySignatureAsync(client, image, "qcow2");
        using var logStream = new MemoryStream();
        await client.StreamLogAsync(run.Jobs[1].BuildId!.Value, follow: false, logStream);
        var upgradeLog = System.Text.Encoding.UTF8.GetString(logStream.ToArray());
        upgradeLog.ShouldContain("serial: FL-READY");
        upgradeLog.ShouldContain("fl-motd");

        // `forgeline image test` runs the plan again by hand, shows it live and exits 0 when every job passed.
        var manual = await server.CliAsync("image", "test", "nightly", "-p", Project);
        manual.ExitCode.ShouldBe(0, manual.Stdout + manual.Stderr);
        manual.Stdout.ShouldContain("daily-upgrade");
        manual.Stdout.ShouldContain("passed");

        // The matrix and the run, as a person looks at them.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{server.Url}images?project={Project}");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var cell = page.Locator($"#matrix tr[data-project={Project}][data-plan=nightly] td[data-day='{today}'] a.run");
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "passed", new() { Timeout = Patience });
        await cell.ClickAsync();
        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("passed");
        await Assertions.Expect(page.Locator("#jobs li[data-job=install]")).ToHaveAttributeAsync("data-state", "passed");
        await Assertions.Expect(page.Locator("#jobs li[data-job=daily-upgrade]")).ToHaveAttributeAsync("data-state", "passed");
        await Assertions.Expect(page.Locator("#jobs li[data-job=install] .junit a")).ToHaveTextAsync("junit-5.xml");
        await page.Locator("#image-build a").ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("tiny.qcow2");
        await page.ScreenshotAsync(new() { Path = server.Home["image-build-page.png"], FullPage = true });
    }

    [Fact]
    public async Task A_missing_package_fails_the_image_build_with_dnfs_reason_skips_the_jobs_and_the_bots_job_reports_it()
    {
        // A repository that cannot be read fails the build, saying which.
        await SetImageAsync(["fl-base", "fl-kernel"], fromProject: false, baseUrl: distribution.Url.TrimEnd('/') + "-gone/");
        var unreadable = await server.CliAsync("image", "build", "tiny", "-p", Project);
        unreadable.ExitCode.ShouldNotBe(0, unreadable.Stdout);
        (unreadable.Stdout + unreadable.Stderr).ShouldContain("-gone/ does not exist on this worker");

        await SetImageAsync(["fl-base", "fl-kernel", "no-such-package"], fromProject: false);
        var plan = await SetPlanAsync("""
            name: smoke
            image: tiny
            triggers: [bot, manual]
            jobs:
              - name: boot
                steps:
                  - wait: FL-READY
            """);
        plan.ExitCode.ShouldBe(0, plan.Stderr);
        var botUrl = System.Text.RegularExpressions.Regex.Match(plan.Stdout, @"http://\S+/trigger\?token=[0-9a-f]+").Value;
        botUrl.ShouldNotBeEmpty(plan.Stdout);

        // The review bot's URL job: a wrong token is refused; the right one starts a run that reports to the bot.
        await using var bot = await WebhookSubscriber.StartAsync();
        using var http = new HttpClient();
        var call = new { job = "image", forge = "github", repository = "tiny/os", number = 7, sha = "1f0c", report_url = bot.Url, report_token = "report-secret" };
        var wrong = await http.PostAsJsonAsync(botUrl[..(botUrl.IndexOf("token=", StringComparison.Ordinal) + 6)] + new string('0', 64), call);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var started = await http.PostAsJsonAsync(botUrl, call);
        started.StatusCode.ShouldBe(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());

        using var client = server.Client();
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var run = await WaitForAsync(async () => await client.GetImageRunAsync(runId) is { FinishedAt: not null } done ? done : null, "the bot's run to end", TimeSpan.FromMinutes(4));
        run.State.ShouldBe("failed");
        run.Trigger.ShouldBe("bot");
        run.Jobs.Single().State.ShouldBe("skipped");
        var image = await client.GetImageBuildAsync(run.ImageBuildId!.Value);
        image.State.ShouldBe("failed");
        image.Reason.ShouldNotBeNull().ShouldContain("no-such-package");
        image.Files.ShouldBeEmpty("nothing is published from a failed build");

        var report = await WaitForAsync(() => Task.FromResult(bot.Requests.FirstOrDefault()), "the bot's report");
        report.Headers["Authorization"].ShouldBe("Bearer report-secret");
        var body = report.Json;
        body.GetProperty("state").GetString().ShouldBe("failure");
        body.GetProperty("description").GetString().ShouldNotBeNull().ShouldContain("image");
        body.GetProperty("url").GetString().ShouldBe($"https://forgeline.example/images/runs/{runId}");

        // The CLI says the same, with a non-zero exit.
        var manual = await server.CliAsync("image", "test", "smoke", "-p", Project);
        manual.ExitCode.ShouldNotBe(0);
        (manual.Stdout + manual.Stderr).ShouldContain("no-such-package");
    }

    private async Task SetImageAsync(IReadOnlyList<string> packages, bool fromProject = true, string? baseUrl = null)
    {
        var definition = server.Home["tiny.yaml"];
        await File.WriteAllTextAsync(definition, $"""
            name: tiny
            repositories:
              - id: tiny
                url: {baseUrl ?? distribution.Url}
                gpg_key: {distribution.PublicKeyPath}
            {(fromProject ? $"  - project: {Project}" : "")}
            packages: [{string.Join(", ", packages)}]
            formats: [qcow2]
            kernel:
              package: fl-kernel
            disk_size_mb: 128
            """);
        var set = await server.CliAsync("image", "set", definition, "-p", Project);
        set.ExitCode.ShouldBe(0, set.Stderr);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> SetPlanAsync(string yaml)
    {
        var path = server.Home["plan.yaml"];
        await File.WriteAllTextAsync(path, yaml);
        return await server.CliAsync("image", "plan", "set", path, "-p", Project);
    }

    private async Task VerifySignatureAsync(Core.Client.ForgelineClient client, ImageBuildDto image, string format)
    {
        var file = image.Files.Single(f => f.Format == format);
        var artifact = (await client.GetBuildAsync(image.BuildId!.Value)).Artifacts.Single(a => a.Name == file.Name);
        var path = server.Home[file.Name];
        await client.DownloadArtifactAsync(artifact, path);
        (await Core.Sha256Hex.OfFileAsync(path)).ShouldBe(file.Sha256);
        using var http = new HttpClient();
        await File.WriteAllTextAsync(path + ".asc", await http.GetStringAsync(new Uri(server.Url, $"/api/v1/image-builds/{image.Id}/files/{file.Name}.asc")));
        await File.WriteAllTextAsync(server.Home["project.asc"], await http.GetStringAsync(new Uri(server.Url, $"/repos/{Project}/pubkey.asc")));
        var home = Directory.CreateTempSubdirectory("fl-gpg-").FullName;
        try
        {
            (await ProcessRunner.RunAsync("gpg", ["--homedir", home, "--batch", "--import", server.Home["project.asc"]])).ExitCode.ShouldBe(0);
            var verified = await ProcessRunner.RunAsync("gpg", ["--homedir", home, "--batch", "--verify", path + ".asc", path]);
            verified.Stderr.ShouldContain("Good signature", customMessage: verified.Stderr);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>The run in a line, and the end of each failed job's log (the serial console) to say why.</summary>
    private static async Task<string> DescribeAsync(Core.Client.ForgelineClient client, ImageRunDto run)
    {
        var text = new System.Text.StringBuilder($"run {run.Id} {run.State} ({run.Reason}): ");
        text.AppendJoin("; ", run.Jobs.Select(j => $"{j.Name} {j.State} build {j.BuildId} {j.Reason}"));
        foreach (var job in run.Jobs.Where(j => j.State == "failed" && j.BuildId is not null))
        {
            using var log = new MemoryStream();
            await client.StreamLogAsync(job.BuildId!.Value, follow: false, log);
            // The kernel's boot messages left out: the steps, what the guest answered and QEMU's words remain.
            var lines = System.Text.Encoding.UTF8.GetString(log.ToArray()).Split('\n').Where(l => !l.StartsWith("forgeline: serial: [", StringComparison.Ordinal)).TakeLast(80);
            text.Append(CultureInfo.InvariantCulture, $"\n--- {job.Name}'s log without kernel messages ---\n{string.Join('\n', lines)}");
        }

        return text.ToString();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? limit = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(2));
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"waited {limit ?? TimeSpan.FromMinutes(2)} for {what}");
    }
}
