using Forgeline.Images.Plans;

namespace Forgeline.Images.Tests;

/// <summary>Test plans in YAML: EOLE's chain (install → daily upgrade → instance) reads back; mistakes are refused clearly.</summary>
public sealed class TestPlanReaderTests
{
    private const string Chain = """
        name: nightly
        image: tiny
        jobs:
          - name: install
            publish_disk: true
            steps:
              - wait: "login:"
              - type: "root\n"
              - run: rpm -q mytools
              - junit: /var/tmp/results.xml
          - name: daily-upgrade
            boot: install
            publish_disk: true
            repository: true
            firmware: true
            steps:
              - run: dnf -y upgrade mytools
          - name: instance
            boot: daily-upgrade
            timeout_seconds: 300
            steps:
              - expect_fail: rpm -q mytools-1.0
        """;

    [Fact]
    public void A_chain_of_jobs_reads_back_and_runs_nightly_by_default()
    {
        var plan = TestPlanReader.Read(Chain, "nightly.yaml");

        plan.Jobs.Select(j => (j.Name, j.Boot)).ShouldBe([("install", "image"), ("daily-upgrade", "install"), ("instance", "daily-upgrade")]);
        plan.Jobs[0].Steps.Select(s => s.Wait ?? s.Type ?? s.Run ?? s.Junit).ShouldBe(["login:", "root\n", "rpm -q mytools", "/var/tmp/results.xml"]);
        plan.Jobs[2].TimeoutSeconds.ShouldBe(300);
        plan.Jobs.Select(j => (j.Repository, j.Firmware)).ShouldBe([(false, false), (true, true), (false, false)], "the repository disk and a boot through the bootloader are asked for per job");
        plan.Triggers.ShouldBe(["publication", "bot", "manual"]);
        TestPlanReader.NextRun(plan, new DateTime(2026, 12, 7, 5, 0, 0, DateTimeKind.Utc)).ShouldBe(new DateTime(2026, 12, 8, 2, 0, 0, DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("name: p\nimage: tiny\nschedule: 'every night'\njobs: [{name: a, steps: [{run: x}]}]", "is not a cron expression")]
    [InlineData("name: p\nimage: tiny\ntriggers: [push]\njobs: [{name: a, steps: [{run: x}]}]", "trigger 'push' is not one of publication, bot, manual")]
    [InlineData("name: p\nimage: tiny", "at least one job")]
    [InlineData("name: p\njobs: [{name: a, steps: [{run: x}]}]", "names the image")]
    [InlineData("name: p\nimage: tiny\njobs: [{name: a, steps: [{run: x}]}, {name: a, steps: [{run: y}]}]", "job 'a': the name is given twice")]
    [InlineData("name: p\nimage: tiny\njobs: [{name: a, steps: [{run: x}]}, {name: b, boot: a, steps: [{run: y}]}]", "boot 'a' is neither 'image' nor an earlier job with publish_disk: true")]
    [InlineData("name: p\nimage: tiny\njobs: [{name: b, boot: later, steps: [{run: y}]}, {name: later, publish_disk: true, steps: [{run: x}]}]", "boot 'later' is neither")]
    [InlineData("name: p\nimage: tiny\njobs: [{name: a, steps: [{run: x, wait: y}]}]", "step 1 has 2 actions")]
    [InlineData("name: p\nimage: tiny\njobs: [{name: a, steps: [{}]}]", "step 1 has 0 actions")]
    [InlineData("name: p\nimage: tiny\njobs: [{name: a, timeout_seconds: 0, steps: [{run: x}]}]", "timeout_seconds 1–86400")]
    [InlineData("name: p\nimage: tiny\njobs: [{name: a}]", "a job needs steps")]
    public void A_broken_plan_is_refused_with_what_to_change(string yaml, string expected)
    {
        Should.Throw<TestPlanException>(() => TestPlanReader.Read(yaml, "p.yaml")).Message.ShouldContain(expected);
    }
}
