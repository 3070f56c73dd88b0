using System.Text.RegularExpressions;
using Forgeline.Testing;
using Forgeline.Worker.Toolchain;

namespace Forgeline.Worker.Tests;

/// <summary>The build environment's name: stable for one toolchain, different when any part of it changes.</summary>
public sealed partial class BuildEnvironmentTests : IDisposable
{
    private static readonly BuildEnvironmentFacts Bookworm = new(
        "debian", "12", "x86_64", "RPM version 4.18.0", "", "12.2.0", "GNU Make 4.3", "GNU ld (GNU Binutils for Debian) 2.40");

    private readonly TempDirectory home = new("forgeline-environment");

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task Two_computations_from_the_same_facts_give_the_same_name_of_os_version_and_12_hex_digits()
    {
        var probe = new FixedProbe(Bookworm);

        var first = await BuildEnvironment.ComputeAsync(probe, CancellationToken.None);
        var second = await BuildEnvironment.ComputeAsync(probe, CancellationToken.None);

        first.ShouldBe(second);
        first.ShouldMatch("^debian-12-[0-9a-f]{12}$");
        probe.Calls.ShouldBe(2);
    }

    public static TheoryData<string> Changes => new() { "os", "version", "arch", "rpm", "dist", "gcc", "make", "binutils" };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Changing_any_one_fact_changes_the_name(string fact)
    {
        var changed = fact switch
        {
            "os" => Bookworm with { OsId = "ubuntu" },
            "version" => Bookworm with { OsVersion = "13" },
            "arch" => Bookworm with { Arch = "aarch64" },
            "rpm" => Bookworm with { Rpm = "RPM version 4.18.1" },
            "dist" => Bookworm with { RpmDist = ".fc40" },
            "gcc" => Bookworm with { Gcc = "12.3.0" },
            "make" => Bookworm with { Make = BuildEnvironmentFacts.Absent },
            "binutils" => Bookworm with { Binutils = "GNU ld (GNU Binutils for Debian) 2.41" },
            _ => throw new ArgumentOutOfRangeException(nameof(fact)),
        };

        var before = BuildEnvironment.Name(Bookworm);
        var after = BuildEnvironment.Name(changed);

        after.ShouldNotBe(before);
        Hash(after).ShouldNotBe(Hash(before), "the hash itself changes, not only the readable prefix");
    }

    [Fact]
    public void The_name_keeps_to_the_worker_name_rule_whatever_os_release_says()
    {
        BuildEnvironment.Name(Bookworm with { OsId = "Open Euler/../x", OsVersion = "" }).ShouldMatch("^open-euler-..-x-[0-9a-f]{12}$");
        BuildEnvironment.Name(Bookworm with { OsId = "", OsVersion = "" }).ShouldMatch("^linux-[0-9a-f]{12}$");
        Core.ResourceName.IsValid(BuildEnvironment.Name(Bookworm with { OsId = "a;rm -rf /", OsVersion = "2024.1 LTS" })).ShouldBeTrue();
    }

    [Fact]
    public async Task The_host_probe_reads_this_machine_the_same_way_twice()
    {
        var probe = new HostBuildEnvironmentProbe();

        var first = await probe.GatherAsync(CancellationToken.None);
        var second = await probe.GatherAsync(CancellationToken.None);

        second.ShouldBe(first);
        first.OsId.ShouldNotBeNullOrEmpty();
        first.Rpm.ShouldStartWith("RPM version ");
        first.Make.ShouldStartWith("GNU Make ");
        first.Gcc.ShouldMatch(@"^\d+\.\d+\.\d+$");
        BuildEnvironment.Name(first).ShouldStartWith($"{first.OsId}-");
    }

    [Fact]
    public async Task A_tool_that_is_not_installed_contributes_absent_and_os_release_quotes_are_dropped()
    {
        var osRelease = home["os-release"];
        await File.WriteAllTextAsync(osRelease, "PRETTY_NAME=\"Example Linux 7\"\nID=\"example\"\nVERSION_ID='7.1'\n# comment\n");
        var missing = home["no-such-gcc"];
        var tools = HostBuildEnvironmentProbe.DefaultTools with { Gcc = [missing, "-dumpfullversion"] };

        var facts = await new HostBuildEnvironmentProbe(osRelease, tools).GatherAsync(CancellationToken.None);

        facts.Gcc.ShouldBe(BuildEnvironmentFacts.Absent);
        facts.OsId.ShouldBe("example");
        facts.OsVersion.ShouldBe("7.1");
        facts.Rpm.ShouldStartWith("RPM version ");
        BuildEnvironment.Name(facts).ShouldStartWith("example-7.1-");
    }

    private static string Hash(string name) => HashPart().Match(name).Value;

    [GeneratedRegex("[0-9a-f]{12}$")]
    private static partial Regex HashPart();

    private sealed class FixedProbe(BuildEnvironmentFacts facts) : IBuildEnvironmentProbe
    {
        public int Calls { get; private set; }

        public Task<BuildEnvironmentFacts> GatherAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(facts);
        }
    }
}
