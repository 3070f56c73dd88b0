using Forgeline.Core;
using Forgeline.Core.Targets;

namespace Forgeline.Core.Tests.Targets;

/// <summary>The rpm macro files <c>forgeline target create --macros</c> reads.</summary>
public sealed class RpmMacroFileTests
{
    [Fact]
    public void Macro_lines_are_read_and_comments_and_blank_lines_skipped()
    {
        var parsed = RpmMacroFile.Parse("# openEuler's build macros\n%vendor openEuler\n\n   %_smp_mflags\t-j4  \r\n%optflags -O2 -g -pipe\n");
        parsed.IsSuccess.ShouldBeTrue(parsed.Message);
        parsed.Value.ShouldBe(new Dictionary<string, string> { ["vendor"] = "openEuler", ["_smp_mflags"] = "-j4", ["optflags"] = "-O2 -g -pipe" });
    }

    [Theory]
    [InlineData("%vendor openEuler\nvendor openEuler\n", "line 2 ('vendor openEuler'): a macro line starts with %")]
    [InlineData("%vendor\n", "line 1 ('%vendor'): macro 'vendor' has no value")]
    [InlineData("%1bad value\n", "line 1 ('%1bad value'): '1bad' is not a macro name")]
    [InlineData("%vendor a\n%vendor b\n", "line 2 ('%vendor b'): macro 'vendor' is defined twice")]
    [InlineData("%long first \\\n second\n", "line 1 ('%long first \\'): multi-line macros")]
    public void A_malformed_line_is_refused_naming_it_and_why(string text, string expected)
    {
        var parsed = RpmMacroFile.Parse(text);
        parsed.Error.ShouldBe(ServiceError.Invalid);
        parsed.Message!.ShouldStartWith(expected, Case.Sensitive);
    }
}
