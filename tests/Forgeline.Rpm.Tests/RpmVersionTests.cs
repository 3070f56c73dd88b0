using System.Globalization;
using System.Text;
using System.Text.Json;
using Forgeline.Testing;

namespace Forgeline.Rpm.Tests;

/// <summary>
/// rpm's version order and range overlap: each table is checked against the expected values and, in one go, against
/// the real rpm on this machine (its Lua <c>rpm.vercmp</c> and the Python bindings' <c>rpm.ds.Compare</c>).
/// </summary>
public sealed class RpmVersionTests
{
    /// <summary>(a, b, rpmvercmp(a, b)): rpm's own test cases (tests/rpmvercmp.at) and the tilde and caret rules.</summary>
    public static readonly TheoryData<string, string, int> Versions = new()
    {
        { "1.0", "1.0", 0 }, { "1.0", "2.0", -1 }, { "2.0", "1.0", 1 },
        { "2.0.1", "2.0.1", 0 }, { "2.0", "2.0.1", -1 }, { "2.0.1a", "2.0.1", 1 },
        { "5.5p1", "5.5p2", -1 }, { "5.5p1", "5.5p10", -1 }, { "5.5p10", "5.5p1", 1 },
        { "10xyz", "10.1xyz", -1 }, { "xyz10", "xyz10.1", -1 },
        // A number is newer than letters.
        { "xyz.4", "8", -1 }, { "8", "xyz.4", 1 }, { "xyz.4", "2", -1 },
        { "5.6p1", "6.5p1", -1 }, { "6.0.rc1", "6.0", 1 }, { "10b2", "10a1", 1 }, { "10a2", "10b2", -1 },
        { "1.0a", "1.0aa", -1 }, { "1.0aa", "1.0a", 1 },
        // Leading zeros do not count; long numbers compare as numbers, not as 64-bit integers.
        { "10.0001", "10.1", 0 }, { "10.0001", "10.0039", -1 }, { "4.999.9", "5.0", -1 },
        { "20101121", "20101122", -1 }, { "123456789012345678901", "123456789012345678902", -1 },
        // Separators only separate.
        { "2_0", "2_0", 0 }, { "2.0", "2_0", 0 }, { "a+", "a_", 0 }, { "+a", "_a", 0 }, { "+_", "_+", 0 }, { "+", "_", 0 }, { "1.0", "1.0.", 0 },
        // Tilde sorts before anything, even the end.
        { "1.0~rc1", "1.0~rc1", 0 }, { "1.0~rc1", "1.0", -1 }, { "1.0", "1.0~rc1", 1 }, { "1.0~rc1", "1.0~rc2", -1 },
        { "1.0~rc1~git123", "1.0~rc1", -1 }, { "1.0~rc1", "1.0arc1", -1 },
        // Caret sorts after the end but before any further segment.
        { "1.0^", "1.0^", 0 }, { "1.0^", "1.0", 1 }, { "1.0", "1.0^", -1 }, { "1.0^git1", "1.0", 1 }, { "1.0^git1", "1.01", -1 },
        { "1.0^20160101", "1.0.1", -1 }, { "1.0^20160101^git1", "1.0^20160101", 1 }, { "1.0^20160102", "1.0^20160101", 1 },
        { "1.0~rc1^git1", "1.0~rc1", 1 }, { "1.0^git1~pre", "1.0^git1", -1 }, { "1.0^git1", "1.0~rc1", 1 },
    };

    /// <summary>(a, b, order) for whole <c>[epoch:]version[-release]</c> strings.</summary>
    public static readonly TheoryData<string, string, int> Evrs = new()
    {
        { "1.0-1", "1.0-2", -1 }, { "1.0-10", "1.0-9", 1 }, { "1:1.0", "2.0", 1 }, { "0:1.0", "1.0", 0 }, { "1:1.0-1", "1:1.0-1", 0 },
        { "2:0.1", "1:9.9", 1 }, { "1.0", "1.0-1", -1 }, { "1.0-1.fc40", "1.0-1.fc41", -1 }, { "1.0~rc1-1", "1.0-0", -1 },
        { "10:1-1", "9:1-1", 1 },
    };

    /// <summary>(provide, require, satisfied).</summary>
    public static readonly TheoryData<string, string, bool> Ranges = new()
    {
        { "foo = 1.0-1", "foo >= 1.0", true },
        { "foo = 1.0-1", "foo > 1.0", false },
        { "foo = 1.0-1", "foo = 1.0", true },
        { "foo = 1.0", "foo = 1.0-3", true },
        { "foo = 1.0-1", "foo = 1.0-2", false },
        { "foo = 1.0-1", "foo < 1.0-2", true },
        { "foo = 1.0-1", "foo <= 1.0", true },
        { "foo = 1.0-1", "foo < 1.0", false },
        { "foo", "foo >= 99", true },
        { "foo = 2", "foo", true },
        { "foo = 1:1.0", "foo >= 2.0", true },
        { "foo = 1.0", "foo >= 1:0.5", false },
        { "foo = 0:1.0", "foo = 1.0", true },
        { "foo = 1.0", "foo = 0:1.0", true },
        { "foo >= 2", "foo < 3", true },
        { "foo >= 2", "foo < 2", false },
        { "foo < 2", "foo > 3", false },
        { "foo > 3", "foo > 1", true },
        { "foo = 1.9", "foo >= 2", false },
        { "foo = 1.0~rc1", "foo >= 1.0", false },
        { "foo = 1.0^git1", "foo > 1.0", true },
        { "foo = 2.0", "bar = 2.0", false },
        { "libfoo.so.1()(64bit)", "libfoo.so.1()(64bit)", true },
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public void CompareVersion_orders_as_rpmvercmp(string a, string b, int expected)
    {
        RpmVersion.CompareVersion(a, b).ShouldBe(expected, $"rpmvercmp({a}, {b})");
        RpmVersion.CompareVersion(b, a).ShouldBe(-expected, $"rpmvercmp({b}, {a})");
    }

    [Theory]
    [MemberData(nameof(Evrs))]
    public void Compare_orders_epoch_then_version_then_release(string a, string b, int expected)
    {
        RpmVersion.Compare(a, b).ShouldBe(expected);
        RpmVersion.Compare(b, a).ShouldBe(-expected);
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Satisfies_is_rpms_range_overlap(string provide, string require, bool expected) =>
        RpmVersion.Satisfies(RpmCapability.Parse(provide), RpmCapability.Parse(require)).ShouldBe(expected, $"'{provide}' satisfies '{require}'");

    [Fact]
    public async Task The_real_rpm_orders_every_pair_the_same()
    {
        var pairs = Versions.Select(row => ((string)row[0], (string)row[1])).Concat(Evrs.Select(row => ((string)row[0], (string)row[1]))).ToList();
        // rpm.vercmp in rpm's Lua compares whole [epoch:]version[-release] strings (rpmverCmp).
        var lua = new StringBuilder("%{lua:");
        foreach (var (a, b) in pairs)
        {
            lua.Append(CultureInfo.InvariantCulture, $"print(rpm.vercmp(\"{a}\", \"{b}\") .. \",\") ");
        }

        var output = await ProcessRunner.RunCheckedAsync("rpm", "--eval", lua.Append('}').ToString());

        var rpmSays = output.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        rpmSays.Count.ShouldBe(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            var (a, b) = pairs[i];
            RpmVersion.Compare(a, b).ShouldBe(rpmSays[i], $"rpm orders {a} and {b} as {rpmSays[i]}");
        }
    }

    [Fact]
    public async Task The_real_rpm_decides_every_range_overlap_the_same()
    {
        File.Exists("/usr/bin/python3").ShouldBeTrue("the Debian python3 with python3-rpm is needed (scripts/install-deps)");
        var rows = Ranges.Select(row => new[] { RpmCapability.Parse((string)row[0]), RpmCapability.Parse((string)row[1]) })
            .Select(pair => pair.Select(c => new { name = c.Name, op = c.Operator ?? "", evr = c.Version ?? "" }).ToArray()).ToList();
        const string Script = """
            import json, sys, rpm
            flags = {"": 0, "<": rpm.RPMSENSE_LESS, "<=": rpm.RPMSENSE_LESS | rpm.RPMSENSE_EQUAL, "=": rpm.RPMSENSE_EQUAL,
                     ">=": rpm.RPMSENSE_GREATER | rpm.RPMSENSE_EQUAL, ">": rpm.RPMSENSE_GREATER}
            for p, r in json.load(open(sys.argv[1])):
                provide = rpm.ds((p["name"], flags[p["op"]], p["evr"]), rpm.RPMTAG_PROVIDENAME)
                require = rpm.ds((r["name"], flags[r["op"]], r["evr"]), rpm.RPMTAG_REQUIRENAME)
                print(1 if provide.Compare(require) else 0)
            """;
        using var dir = new TempDirectory("forgeline-ranges");
        await File.WriteAllTextAsync(dir["rows.json"], JsonSerializer.Serialize(rows));
        await File.WriteAllTextAsync(dir["check.py"], Script);

        var output = await ProcessRunner.RunCheckedAsync("/usr/bin/python3", dir["check.py"], dir["rows.json"]);

        var rpmSays = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line == "1").ToList();
        rpmSays.Count.ShouldBe(Ranges.Count);
        var i = 0;
        foreach (var row in Ranges)
        {
            var (provide, require) = ((string)row[0], (string)row[1]);
            RpmVersion.Satisfies(RpmCapability.Parse(provide), RpmCapability.Parse(require)).ShouldBe(rpmSays[i], $"rpm says '{provide}' satisfies '{require}': {rpmSays[i]}");
            i++;
        }
    }
}
