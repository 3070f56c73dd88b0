using System.Globalization;

namespace Forgeline.Core.Targets;

/// <summary>Reads an rpm macro file: one <c>%name value</c> per line; blank lines and lines starting with <c>#</c> are skipped.</summary>
public static class RpmMacroFile
{
    /// <summary>The macros of <paramref name="text"/>, or the first malformed line (1-based) and what is wrong with it.</summary>
    public static ServiceResult<Dictionary<string, string>> Parse(string text)
    {
        var macros = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var number = (i + 1).ToString(CultureInfo.InvariantCulture);
            if (line[0] != '%')
            {
                return Malformed(number, line, "a macro line starts with %, e.g. '%_smp_mflags -j4'");
            }

            var space = line.IndexOfAny([' ', '\t']);
            var name = space < 0 ? line[1..] : line[1..space];
            var value = space < 0 ? "" : line[(space + 1)..].Trim();
            if (value.Length == 0)
            {
                return Malformed(number, line, $"macro '{name}' has no value; write '%{name} VALUE'");
            }

            if (value.EndsWith('\\'))
            {
                return Malformed(number, line, "multi-line macros (a line ending in \\) are not supported; write the value on one line");
            }

            if (Builds.BuildMacros.FindProblem(new Dictionary<string, string> { [name] = value }) is { } problem)
            {
                return Malformed(number, line, problem);
            }

            if (!macros.TryAdd(name, value))
            {
                return Malformed(number, line, $"macro '{name}' is defined twice");
            }
        }

        return macros;
    }

    private static ServiceResult<Dictionary<string, string>> Malformed(string number, string line, string why) =>
        ServiceResult<Dictionary<string, string>>.Fail(ServiceError.Invalid, $"line {number} ('{line}'): {why}");
}
