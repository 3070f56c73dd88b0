namespace Forgeline.Testing.BuildRoots;

/// <summary>
/// What the <see cref="TestDistribution"/> holds besides <see cref="TestDistribution.BuildsysPackage"/>: the packages
/// build-root tests ask for by name. Add one here and every test process gets it.
/// </summary>
public static class DistributionPackages
{
    /// <summary>The script <c>fakecc IN -o OUT</c>: "compiles" by writing a banner and IN to OUT.</summary>
    public const string FakeccScript = """
        #!/bin/sh
        # A stand-in compiler for build-root tests: the output names it, so a test sees the root's tool ran.
        set -e
        if [ "$#" -ne 3 ] || [ "$2" != "-o" ]; then
            echo "usage: fakecc IN -o OUT" >&2
            exit 2
        fi
        { echo "compiled by fakecc 1.0 from $1"; cat "$1"; } > "$3"

        """;

    /// <summary>The noarch packages, by name.</summary>
    public static IReadOnlyList<DistributionPackage> All { get; } =
    [
        new("fakecc", "1.0", "/usr/bin/fakecc", FakeccScript, Executable: true),
        new("fake-glibc-devel", "2.38", "/usr/include/fake-libc.h", "/* fake-glibc-devel 2.38 of the Forgeline test distribution */\n", Provides: ["glibc-devel = 2.38"]),
        // For rich dependencies such as (rich-left or rich-right).
        new("rich-left", "1.0", "/usr/share/rich-left/rich-left.txt", "rich-left 1.0\n"),
        new("rich-right", "1.0", "/usr/share/rich-right/rich-right.txt", "rich-right 1.0\n"),
        // For a package with five BuildRequires.
        new("br-one", "1.0", "/usr/share/br-one/br-one.txt", "br-one 1.0\n"),
        new("br-two", "1.0", "/usr/share/br-two/br-two.txt", "br-two 1.0\n"),
        new("br-three", "1.0", "/usr/share/br-three/br-three.txt", "br-three 1.0\n"),
        new("br-four", "1.0", "/usr/share/br-four/br-four.txt", "br-four 1.0\n"),
        new("br-five", "1.0", "/usr/share/br-five/br-five.txt", "br-five 1.0\n"),
    ];
}
