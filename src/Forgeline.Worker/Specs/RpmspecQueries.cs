using Forgeline.Core.Projects;
using Forgeline.Rpm;

namespace Forgeline.Worker.Specs;

/// <summary>
/// The two rpmspec queries that describe a spec, and how their output becomes <see cref="SpecFacts"/>. Each line
/// starts with a tag (S source, R build requirement, P binary package, V provide, Q requirement) and has tab-separated
/// fields; a dependency's name is everything between the tag and its last two fields (flags, version), so even a rich
/// dependency with odd spacing stays whole.
/// </summary>
internal static class RpmspecQueries
{
    /// <summary>The source package: name, epoch (empty when none), version, release, then its requirements, which are the spec's BuildRequires.</summary>
    public const string SourceFormat = "S\t%{NAME}\t%|EPOCH?{%{EPOCH}}:{}|\t%{VERSION}\t%{RELEASE}\n[R\t%{REQUIRENAME}\t%{REQUIREFLAGS:depflags}\t%{REQUIREVERSION}\n]";

    /// <summary>Each binary package that will be built: name and arch, then its provides and requirements.</summary>
    public const string PackageFormat = "P\t%{NAME}\t%{ARCH}\n[V\t%{PROVIDENAME}\t%{PROVIDEFLAGS:depflags}\t%{PROVIDEVERSION}\n][Q\t%{REQUIRENAME}\t%{REQUIREFLAGS:depflags}\t%{REQUIREVERSION}\n]";

    /// <summary>
    /// A shell script for <c>sh -c</c> with the spec path as <c>$1</c> and the rpmspec options after it: both queries
    /// go to files under <c>/build/facts</c> and rpmspec's messages to the sandbox's output. <c>ulimit -f</c> bounds
    /// every file a spec's macros could write, the query results included.
    /// </summary>
    public static string Script(long fileLimitBytes) => $"""
        set -e
        ulimit -f {Math.Max(1, fileLimitBytes / 512)}
        spec="$1"; shift
        mkdir -p /build/facts
        rpmspec -q --srpm --queryformat "$FORGELINE_SOURCE_FORMAT" "$@" "$spec" > /build/facts/source
        rpmspec -q --builtrpms --queryformat "$FORGELINE_PACKAGE_FORMAT" "$@" "$spec" > /build/facts/packages
        """;

    /// <summary>The environment the script reads its query formats from (kept out of the script text so nothing needs quoting).</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["FORGELINE_SOURCE_FORMAT"] = SourceFormat,
        ["FORGELINE_PACKAGE_FORMAT"] = PackageFormat,
    };

    /// <summary>Reads both outputs; throws <see cref="SpecReadException"/> naming the line that does not fit.</summary>
    public static SpecFacts Parse(string source, string packages, string? commit)
    {
        string? name = null, version = null, release = null;
        int? epoch = null;
        var buildRequires = new List<RpmCapability>();
        foreach (var line in Lines(source))
        {
            var fields = line.Split('\t');
            switch (fields[0])
            {
                case "S" when fields.Length == 5 && name is null:
                    name = fields[1];
                    epoch = fields[2].Length == 0 ? null : int.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var e) ? e
                        : throw new SpecReadException($"the spec's Epoch '{fields[2]}' is not a number; write a whole number such as 'Epoch: 1'");
                    version = fields[3];
                    release = fields[4];
                    break;
                case "R":
                    buildRequires.Add(Dependency(line, "BuildRequires"));
                    break;
                default:
                    throw Unexpected(line);
            }
        }

        if (name is null || version is null || release is null)
        {
            throw new SpecReadException("rpmspec described no source package; check that the spec has Name, Version and Release");
        }

        var binaries = new List<SpecPackageFacts>();
        string? package = null, arch = null;
        List<RpmCapability> provides = [], requires = [];
        foreach (var line in Lines(packages))
        {
            switch (line[0])
            {
                case 'P':
                    Close();
                    var fields = line.Split('\t');
                    if (fields.Length != 3)
                    {
                        throw Unexpected(line);
                    }

                    (package, arch, provides, requires) = (fields[1], fields[2], [], []);
                    break;
                case 'V' when package is not null:
                    provides.Add(Dependency(line, "Provides"));
                    break;
                case 'Q' when package is not null:
                    requires.Add(Dependency(line, "Requires"));
                    break;
                default:
                    throw Unexpected(line);
            }
        }

        Close();
        if (binaries.Count == 0)
        {
            throw new SpecReadException($"the spec of {name} makes no binary package: give the main package or a subpackage a %files section");
        }

        return new SpecFacts(name, version, release, epoch, buildRequires, binaries, commit);

        void Close()
        {
            if (package is not null)
            {
                binaries.Add(new SpecPackageFacts(package, arch!, provides, requires));
            }
        }
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static RpmCapability Dependency(string line, string kind)
    {
        var last = line.LastIndexOf('\t');
        var middle = last > 2 ? line.LastIndexOf('\t', last - 1) : -1;
        if (middle <= 1)
        {
            throw Unexpected(line);
        }

        var name = line[2..middle];
        var flags = line[(middle + 1)..last].Trim();
        var version = line[(last + 1)..];
        try
        {
            if (flags.Length == 0 || version.Length == 0)
            {
                return RpmCapability.Parse(name);
            }

            return new RpmCapability(name, RpmCapability.NormaliseOperator(flags) ?? throw new FormatException($"'{flags}' is not a version comparison"), version);
        }
        catch (FormatException e)
        {
            throw new SpecReadException($"the spec's {kind} '{$"{name} {flags} {version}".TrimEnd()}' cannot be read: {e.Message}", e);
        }
    }

    private static SpecReadException Unexpected(string line) =>
        new($"rpmspec printed a line Forgeline does not understand: '{(line.Length > 200 ? line[..200] + "…" : line)}'; report this with the spec");
}
