using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Projects;

namespace Forgeline.Rpm.Tests;

/// <summary>Dependencies as rpm writes them: plain, versioned, file, rpmlib and rich.</summary>
public sealed class RpmCapabilityTests
{
    [Theory]
    [InlineData("gcc", "gcc", null, null)]
    [InlineData("  make >= 4.0 ", "make", ">=", "4.0")]
    [InlineData("foo >= 1:2.3-4", "foo", ">=", "1:2.3-4")]
    [InlineData("foo == 1", "foo", "=", "1")]
    [InlineData("foo => 1", "foo", ">=", "1")]
    [InlineData("foo =< 1", "foo", "<=", "1")]
    [InlineData("perl(Foo::Bar) > 0.5", "perl(Foo::Bar)", ">", "0.5")]
    [InlineData("/usr/bin/python3", "/usr/bin/python3", null, null)]
    [InlineData("rpmlib(RichDependencies) <= 4.12.0-1", "rpmlib(RichDependencies)", "<=", "4.12.0-1")]
    public void Simple_dependencies_parse_into_name_operator_and_version(string text, string name, string? op, string? version)
    {
        var capability = RpmCapability.Parse(text);

        capability.ShouldBe(new RpmCapability(name, op, version));
        capability.IsRich.ShouldBeFalse();
        RpmCapability.Parse(capability.ToString()).ShouldBe(capability);
    }

    [Fact]
    public void File_and_rpmlib_dependencies_are_recognised()
    {
        RpmCapability.Parse("/usr/bin/python3").IsFile.ShouldBeTrue();
        RpmCapability.Parse("rpmlib(CompressedFileNames) <= 3.0.4-1").IsRpmlib.ShouldBeTrue();
        RpmCapability.Parse("python3").IsFile.ShouldBeFalse();
    }

    [Theory]
    [InlineData("(bar or baz >= 2)", "(bar or baz >= 2)")]
    [InlineData("(  a   and (b or  c)  )", "(a and (b or c))")]
    [InlineData("(perl(Foo::Bar) or python3(foo) >= 1)", "(perl(Foo::Bar) or python3(foo) >= 1)")]
    [InlineData("(a if b else c)", "(a if b else c)")]
    [InlineData("(a unless b)", "(a unless b)")]
    [InlineData("(a with b with c)", "(a with b with c)")]
    [InlineData("(a without b)", "(a without b)")]
    [InlineData("(foo)", "foo")]
    public void Rich_dependencies_keep_their_text_normalised(string text, string expected)
    {
        var capability = RpmCapability.Parse(text);

        capability.Name.ShouldBe(expected);
        capability.Operator.ShouldBeNull();
    }

    [Fact]
    public void A_rich_dependency_parses_into_its_tree()
    {
        var rich = RpmCapability.Parse("(a or (b >= 2 and c) or d)").ToRich();

        rich.Operator.ShouldBe("or");
        rich.Operands.Count.ShouldBe(3);
        rich.Operands[0].Capability.ShouldBe(new RpmCapability("a"));
        rich.Operands[1].Operator.ShouldBe("and");
        rich.Operands[1].Operands[0].Capability.ShouldBe(new RpmCapability("b", ">=", "2"));
        rich.Operands[2].Capability.ShouldBe(new RpmCapability("d"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("foo >=", "no version")]
    [InlineData("foo ~ 1", "where a comparison belongs")]
    [InlineData("foo bar baz qux", "not one dependency")]
    [InlineData("(a or b", "missing a closing parenthesis")]
    [InlineData("(a or)", "ends where a dependency belongs")]
    [InlineData("(a xor b)", "'xor' where an operator belongs")]
    [InlineData("(a or b and c)", "mixed only through parentheses")]
    [InlineData("(a else b)", "'else' only follows")]
    [InlineData("(a or b) c", "text after its closing parenthesis")]
    [InlineData("(a >= )", "no version")]
    public void Malformed_dependencies_are_refused_with_the_reason(string text, string reason)
    {
        var failure = Should.Throw<FormatException>(() => RpmCapability.Parse(text));

        failure.Message.ShouldContain(reason);
    }

    [Fact]
    public void Json_holds_the_rpm_text_and_reads_it_back()
    {
        var facts = new SpecFacts("foo", "1.0", "1.fc40", 2, [RpmCapability.Parse("make >= 4.0"), RpmCapability.Parse("(a or b)")],
            [new SpecPackageFacts("foo", "x86_64", [new RpmCapability("foo", "=", "2:1.0-1.fc40")], [])], Commit: new string('a', 40));

        var json = JsonSerializer.Serialize(facts, ForgelineJson.Options);

        using (var document = JsonDocument.Parse(json))
        {
            document.RootElement.GetProperty("buildRequires").EnumerateArray().Select(e => e.GetString()).ShouldBe(["make >= 4.0", "(a or b)"]);
            document.RootElement.GetProperty("epoch").GetInt32().ShouldBe(2);
            document.RootElement.GetProperty("commit").GetString().ShouldBe(new string('a', 40));
        }

        json.ShouldNotContain("isRich");
        var back = JsonSerializer.Deserialize<SpecFacts>(json, ForgelineJson.Options)!;
        back.BuildRequires.ShouldBe(facts.BuildRequires);
        back.Packages.Single().Provides.ShouldBe(facts.Packages.Single().Provides);
        back.Evr.ShouldBe("2:1.0-1.fc40");
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<RpmCapability>("\"foo >=\"", ForgelineJson.Options)).Message.ShouldContain("no version");
    }
}
