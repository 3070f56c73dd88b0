namespace Forgeline.Worker.Tests;

/// <summary>Labels, environment names and macros are checked before they are used, with messages that say what to fix.</summary>
public sealed class WorkerSettingsTests
{
    [Fact]
    public void Good_labels_and_an_environment_name_pass()
    {
        var options = new WorkerOptions { Labels = ["kvm", "big", "gpu-a100", "x86_64.v3", new string('a', 63)], Environment = "debian-12-3f9c0a1b2c4d" };

        options.FindProblems().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("KVM")]
    [InlineData("has space")]
    [InlineData("")]
    [InlineData("ünïcode")]
    [InlineData("semi;colon")]
    public void A_bad_label_is_refused_naming_the_label_the_rule_and_the_setting(string label)
    {
        var problems = new WorkerOptions { Labels = ["kvm", label] }.FindProblems();

        problems.Count.ShouldBe(1);
        problems[0].ShouldContain($"label '{label}' is not valid");
        problems[0].ShouldContain("lower-case letters, digits");
        problems[0].ShouldContain("--label");
    }

    [Fact]
    public void A_label_of_64_characters_is_too_long()
    {
        new WorkerOptions { Labels = [new string('a', 64)] }.FindProblems().ShouldHaveSingleItem().ShouldContain("1-63");
    }

    [Fact]
    public void An_environment_name_that_is_not_a_plain_name_is_refused()
    {
        new WorkerOptions { Environment = "../etc" }.FindProblems().ShouldHaveSingleItem().ShouldContain("--environment");
    }

    [Fact]
    public void Macros_become_defines_in_name_order_and_good_ones_pass()
    {
        var macros = new Dictionary<string, string> { ["with_tests"] = "0", ["_vendor"] = "forgeline", ["dist"] = ".fl1" };

        RpmMacros.FindProblem(macros).ShouldBeNull();
        RpmMacros.Defines(macros).ShouldBe(["--define", "_vendor forgeline", "--define", "dist .fl1", "--define", "with_tests 0"]);
        RpmMacros.Defines(null).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("9lives", "x", "is not valid")]
    [InlineData("with-dash", "x", "is not valid")]
    [InlineData("trailing\n", "x", "is not valid")]
    [InlineData("", "x", "is not valid")]
    [InlineData("_sourcedir", "/etc", "is set by the worker")]
    [InlineData("empty", "", "empty value")]
    [InlineData("two", "lines\n%_topdir /etc", "more than one line")]
    public void A_bad_macro_is_refused_with_the_reason(string name, string value, string reason)
    {
        RpmMacros.FindProblem(new Dictionary<string, string> { ["fine"] = "1", [name] = value }).ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void Heartbeats_come_every_quarter_lease_but_at_least_every_two_seconds()
    {
        LeaseHeartbeat.Interval(60).ShouldBe(TimeSpan.FromSeconds(2));
        LeaseHeartbeat.Interval(3600).ShouldBe(TimeSpan.FromSeconds(2));
        LeaseHeartbeat.Interval(4).ShouldBe(TimeSpan.FromSeconds(1));
        LeaseHeartbeat.Interval(2).ShouldBe(TimeSpan.FromSeconds(0.5));
        LeaseHeartbeat.Interval(0).ShouldBe(TimeSpan.FromSeconds(0.25));
    }
}
