using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Forgeline.Core.Images;
using Forgeline.Data.Entities;

namespace Forgeline.Web.Tests.Features.Images;

public sealed class ImagePagesTests(ImageSite site) : IClassFixture<ImageSite>
{
    private const string Armored = "-----BEGIN PGP SIGNATURE-----\n\niHUEABYKAB0WIQT0test\n=abcd\n-----END PGP SIGNATURE-----\n";

    [Fact]
    public async Task The_matrix_shows_a_passed_and_a_failed_cell_on_their_days_linking_to_their_runs()
    {
        var plan = await site.PlanAsync("matrix-proj", "nightly");
        var passedAt = DateTime.UtcNow.AddDays(-3);
        var failedAt = DateTime.UtcNow.AddDays(-1);
        var passed = await site.RunAsync(plan, "passed", passedAt, minutes: 3);
        var failed = await site.RunAsync(plan, "failed", failedAt, minutes: 1);

        var html = await site.Anonymous.GetStringAsync("/images?project=matrix-proj");

        var row = Row(html, "matrix-proj", "nightly");
        Cell(row, passedAt).ShouldContain($"href=\"/images/runs/{passed.Id}\"");
        Cell(row, passedAt).ShouldContain("class=\"run passed\"");
        Cell(row, passedAt).ShouldContain("3m 00s");
        Cell(row, failedAt).ShouldContain($"href=\"/images/runs/{failed.Id}\"");
        Cell(row, failedAt).ShouldContain("class=\"run failed\"");
        Cell(row, DateTime.UtcNow.AddDays(-2)).ShouldNotContain("<a");
        Regex.Count(row, "<td class=\"cell\"").ShouldBe(ImagesModelDays);
        html.ShouldContain("id=\"legend\"");
        html.ShouldContain("data-live=\"false\"");
    }

    [Fact]
    public async Task A_running_cell_is_amber_and_makes_the_page_poll()
    {
        var plan = await site.PlanAsync("live-proj", "smoke");
        var running = await site.RunAsync(plan, "running", DateTime.UtcNow.AddMinutes(-2), minutes: 0);

        var html = await site.Anonymous.GetStringAsync("/images?project=live-proj&days=3");

        var cell = Cell(Row(html, "live-proj", "smoke"), DateTime.UtcNow);
        cell.ShouldContain($"href=\"/images/runs/{running.Id}\"");
        cell.ShouldContain("class=\"run running\"");
        html.ShouldContain("data-live=\"true\"");
        html.ShouldContain("/assets/images/image-matrix.js");
        Regex.Count(Row(html, "live-proj", "smoke"), "<td class=\"cell\"").ShouldBe(3);
    }

    [Fact]
    public async Task A_private_projects_plan_is_not_shown_to_anonymous_but_is_to_the_admin()
    {
        var plan = await site.PlanAsync("secret-proj", "hidden-plan", isPublic: false);
        var run = await site.RunAsync(plan, "passed", DateTime.UtcNow.AddHours(-1), minutes: 2);

        var anonymous = await site.Anonymous.GetStringAsync("/images");
        var admin = await site.Admin.GetStringAsync("/images");
        using var runPage = await site.Anonymous.GetAsync($"/images/runs/{run.Id}");

        anonymous.ShouldNotContain("hidden-plan");
        admin.ShouldContain("data-plan=\"hidden-plan\"");
        runPage.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await site.Admin.GetAsync($"/images/runs/{run.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_plans_the_matrix_explains_how_to_add_one()
    {
        var html = await site.Anonymous.GetStringAsync("/images?project=no-such-project");

        html.ShouldContain("id=\"no-plans\"");
        html.ShouldContain("forgeline image plan set PROJECT plan.yaml");
        html.ShouldNotContain("id=\"matrix\"");
    }

    [Fact]
    public async Task The_run_page_lists_jobs_in_plan_order_with_reason_screenshot_junit_and_disk()
    {
        var plan = await site.PlanAsync("run-proj", "chain");
        var image = await site.ImageBuildAsync("run-proj", "succeeded", buildId: 40);
        var started = DateTime.UtcNow.AddMinutes(-30);
        var run = await site.RunAsync(plan, "failed", started, minutes: 20, image.Id,
            Job("install", "image", "passed", 41, started, 65, disk: new string('a', 64), junit: "install.xml"),
            Job("upgrade", "install", "failed", 42, started.AddMinutes(2), 30, reason: "step 3: timed out waiting for 'login:'", screenshot: "upgrade-failure.png",
                junit: "upgrade.xml upgrade-extra.xml"),
            Job("instance", "upgrade", "skipped", null, null, 0, reason: "upgrade failed"));

        var html = await site.Anonymous.GetStringAsync($"/images/runs/{run.Id}");

        Regex.Matches(html, "data-job=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ShouldBe(["install", "upgrade", "instance"]);
        html.ShouldContain($"href=\"/images/builds/{image.Id}\"");
        html.ShouldContain("id=\"trigger\">schedule<");
        html.ShouldContain("step 3: timed out waiting for &#x27;login:&#x27;");
        html.ShouldContain("<img class=\"screenshot\" src=\"/api/v1/builds/42/artifacts/upgrade-failure.png\"");
        html.ShouldContain("href=\"/api/v1/builds/42/artifacts/upgrade.xml\"");
        html.ShouldContain("href=\"/api/v1/builds/42/artifacts/upgrade-extra.xml\"");
        html.ShouldContain("href=\"/api/v1/builds/41/artifacts/install.xml\"");
        html.ShouldContain("href=\"/builds/42\"");
        html.ShouldContain(">aaaaaaaaaaaa<");
        html.ShouldContain("boots the disk of install");
        html.ShouldContain("1m 05s");
        Regex.Count(html, "<img ").ShouldBe(1);
        html.ShouldNotContain("image-run.js");
    }

    [Fact]
    public async Task A_running_run_streams_its_running_jobs_log_with_the_build_pages_script()
    {
        var plan = await site.PlanAsync("stream-proj", "boot");
        var run = await site.RunAsync(plan, "running", DateTime.UtcNow.AddMinutes(-1), minutes: 0, null,
            Job("boot", "image", "running", 77, DateTime.UtcNow.AddSeconds(-30), null));

        var html = await site.Anonymous.GetStringAsync($"/images/runs/{run.Id}");

        html.ShouldContain("/assets/builds/build-log.js");
        html.ShouldContain("/assets/images/image-run.js");
        html.ShouldContain("id=\"log\"");
        html.ShouldContain("not built yet");
    }

    [Fact]
    public async Task The_image_build_page_lists_files_and_the_signature_endpoint_returns_the_armored_signature()
    {
        await site.PlanAsync("build-proj", "p");
        var build = await site.ImageBuildAsync("build-proj", "succeeded", buildId: 90,
            new ImageFileOutput("qcow2", "tiny.qcow2", new string('b', 64), 3 * 1024 * 1024 + 512 * 1024, Armored),
            new ImageFileOutput("rootfs", "tiny-rootfs.tar.gz", new string('c', 64), 900, null));

        var html = await site.Anonymous.GetStringAsync($"/images/builds/{build.Id}");
        using var signature = await site.Anonymous.GetAsync($"/api/v1/image-builds/{build.Id}/files/tiny.qcow2.asc");
        using var unsigned = await site.Anonymous.GetAsync($"/api/v1/image-builds/{build.Id}/files/tiny-rootfs.tar.gz.asc");
        using var missing = await site.Anonymous.GetAsync($"/api/v1/image-builds/{build.Id}/files/other.qcow2.asc");

        html.ShouldContain("href=\"/builds/90\"");
        html.ShouldContain("href=\"/api/v1/builds/90/artifacts/tiny.qcow2\"");
        html.ShouldContain($"href=\"/api/v1/image-builds/{build.Id}/files/tiny.qcow2.asc\"");
        html.ShouldContain("3.5 MiB");
        html.ShouldContain("900 B");
        html.ShouldContain(new string('b', 64));
        html.ShouldContain("unsigned");
        signature.StatusCode.ShouldBe(HttpStatusCode.OK);
        signature.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (await signature.Content.ReadAsStringAsync()).ShouldBe(Armored);
        unsigned.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_private_projects_image_build_and_its_signature_are_not_there_for_anonymous()
    {
        await site.PlanAsync("private-build-proj", "p", isPublic: false);
        var build = await site.ImageBuildAsync("private-build-proj", "succeeded", buildId: 91, new ImageFileOutput("raw", "tiny.raw", new string('d', 64), 10, Armored));

        using var page = await site.Anonymous.GetAsync($"/images/builds/{build.Id}");
        using var signature = await site.Anonymous.GetAsync($"/api/v1/image-builds/{build.Id}/files/tiny.raw.asc");
        using var asAdmin = await site.Admin.GetAsync($"/api/v1/image-builds/{build.Id}/files/tiny.raw.asc");

        page.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        signature.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        asAdmin.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/images/runs/999999")]
    [InlineData("/images/builds/999999")]
    [InlineData("/api/v1/image-builds/999999/files/x.qcow2.asc")]
    public async Task Unknown_ids_are_404(string url)
    {
        using var response = await site.Anonymous.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_nav_links_the_matrix()
    {
        var html = await site.Anonymous.GetStringAsync("/images");

        html.ShouldContain("<a href=\"/images\" class=\"here\">Images</a>");
    }

    private const int ImagesModelDays = Forgeline.Web.Pages.ImagesModel.DefaultDays;

    private static ImageRunJobRecord Job(string name, string boot, string state, long? buildId, DateTime? started, double? seconds,
        string? reason = null, string? screenshot = null, string? disk = null, string? junit = null) => new()
    {
        Name = name, Boot = boot, State = state, BuildId = buildId, Reason = reason, Screenshot = screenshot, DiskSha256 = disk, JUnit = junit,
        StartedAt = started, FinishedAt = started is { } s && seconds is { } d ? s.AddSeconds(d) : null,
    };

    private static string Row(string html, string project, string plan)
    {
        var match = Regex.Match(html, $"<tr data-project=\"{project}\" data-plan=\"{plan}\">(.*?)</tr>", RegexOptions.Singleline);
        match.Success.ShouldBeTrue($"no row for {project}/{plan} in\n{html}");
        return match.Groups[1].Value;
    }

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Cell(string row, DateTime day)
    {
        var match = Regex.Match(row, $"<td class=\"cell\" data-day=\"{Day(day)}\">(.*?)</td>", RegexOptions.Singleline);
        match.Success.ShouldBeTrue($"no cell for {Day(day)} in\n{row}");
        return match.Groups[1].Value;
    }
}
