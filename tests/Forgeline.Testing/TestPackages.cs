using System.Globalization;
namespace Forgeline.Testing;

/// <summary>Real packages made with rpmbuild for tests: spec directories and source RPMs.</summary>
public static class TestPackages
{
    /// <summary>Writes a directory with a spec whose %build runs <paramref name="buildScript"/>; returns its path.</summary>
    public static string WriteSpecDirectory(string parent, string name, string version = "1.0", string buildScript = "echo building", string release = "1")
    {
        var dir = Path.Combine(parent, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, $"{name}.spec"), $"""
            Name:           {name}
            Version:        {version}
            Release:        {release}
            Summary:        Test package {name}
            License:        MIT
            Source0:        {name}.txt
            BuildArch:      noarch

            %description
            Test package {name}, made by the Forgeline test suite.

            %prep
            cp %{"{"}SOURCE0{"}"} .

            %build
            {buildScript}

            %install
            install -D -m 0644 {name}.txt %{"{"}buildroot{"}"}%{"{"}_datadir{"}"}/{name}/{name}.txt

            %files
            %{"{"}_datadir{"}"}/{name}/{name}.txt
            """);
        File.WriteAllText(Path.Combine(dir, $"{name}.txt"), $"{name} {version}\n");
        return dir;
    }

    /// <summary>Makes a source RPM of a generated package with rpmbuild -bs; returns its path.</summary>
    public static async Task<string> MakeSrpmAsync(string parent, string name, string version = "1.0", string buildScript = "echo building", string release = "1")
    {
        var dir = WriteSpecDirectory(Path.Combine(parent, "specs"), name, version, buildScript, release);
        return await PackSrpmAsync(parent, dir, name, version, release);
    }

    /// <summary>
    /// Writes a directory with a small C program: <c>hello.c</c> compiled by <c>make</c> (as <c>cc</c>), <c>greet.c</c>
    /// by <c>%{__cc}</c>, then linked; <paramref name="comment"/> goes into the spec only. Returns its path.
    /// </summary>
    public static string WriteCSpecDirectory(string parent, string name, string release = "1", string comment = "", string buildScript = "")
    {
        var dir = Path.Combine(parent, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "hello.c"), "#include <stdio.h>\nint greet(void);\nint main(void) { puts(\"hello\"); return greet(); }\n");
        File.WriteAllText(Path.Combine(dir, "greet.c"), "#include <stdio.h>\nint greet(void) { puts(\"greetings\"); return 0; }\n");
        File.WriteAllText(Path.Combine(dir, "Makefile"), "hello.o: hello.c\n\t$(CC) $(CFLAGS) -c hello.c -o hello.o\n");
        File.WriteAllText(Path.Combine(dir, $"{name}.spec"), $"""
            # {comment}
            Name:           {name}
            Version:        1.0
            Release:        {release}
            Summary:        C test package {name}
            License:        MIT
            Source0:        hello.c
            Source1:        greet.c
            Source2:        Makefile

            %description
            C test package {name}, made by the Forgeline test suite.

            %prep
            cp %{"{"}SOURCE0{"}"} %{"{"}SOURCE1{"}"} %{"{"}SOURCE2{"}"} .

            %build
            {buildScript}
            make CFLAGS="%{"{"}optflags{"}"}" hello.o
            %{"{"}__cc{"}"} %{"{"}optflags{"}"} -c greet.c -o greet.o
            %{"{"}__cc{"}"} hello.o greet.o -o {name}

            %install
            install -D -m 0755 {name} %{"{"}buildroot{"}"}%{"{"}_bindir{"}"}/{name}

            %files
            %{"{"}_bindir{"}"}/{name}
            """);
        return dir;
    }

    /// <summary>Makes a source RPM of the C package of <see cref="WriteCSpecDirectory"/>; returns its path.</summary>
    public static async Task<string> MakeCSrpmAsync(string parent, string name, string release = "1", string comment = "", string buildScript = "")
    {
        var dir = WriteCSpecDirectory(Path.Combine(parent, $"specs-{release}"), name, release, comment, buildScript);
        return await PackSrpmAsync(parent, dir, name, "1.0", release);
    }

    /// <summary>
    /// The benchmarks' package: one C file compiled with <c>gcc -O2</c> (about 0.16 s of rpmbuild), plus
    /// <paramref name="extraSeconds"/> of sleep in <c>%build</c>; returns the path of its source RPM in <paramref name="root"/>.
    /// </summary>
    public static async Task<string> MakeBenchmarkSrpmAsync(string root, string name, double extraSeconds)
    {
        var dir = Path.Combine(root, "specs", name);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, $"{name}.c"), $$"""
            #include <stdio.h>
            int main(void) { puts("{{name}}"); return 0; }
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, $"{name}.spec"), $$"""
            Name:     {{name}}
            Version:  1.0
            Release:  1
            Summary:  Benchmark package {{name}}
            License:  MIT
            Source0:  {{name}}.c

            %description
            A small C program for the benchmarks.

            %prep
            cp %{SOURCE0} .

            %build
            gcc -O2 -o {{name}} {{name}}.c
            {{(extraSeconds > 0 ? "sleep " + extraSeconds.ToString(CultureInfo.InvariantCulture) : "")}}

            %install
            install -D -m 0755 {{name}} %{buildroot}%{_bindir}/{{name}}

            %files
            %{_bindir}/{{name}}
            """);
        await ProcessRunner.RunCheckedAsync("rpmbuild", "-bs", "--nodeps", "--define", $"_topdir {Path.Combine(root, "top")}", "--define", $"_sourcedir {dir}",
            "--define", $"_srcrpmdir {root}", Path.Combine(dir, $"{name}.spec"));
        return Path.Combine(root, $"{name}-1.0-1.src.rpm");
    }

    /// <summary>
    /// Writes and packs the <see cref="LibraryPair"/>: <paramref name="library"/> (a shared library built with the real
    /// gcc, split into the library and its -devel package) and <paramref name="program"/>, which BuildRequires the
    /// -devel package. Build the library first, then the program with the library's binary RPMs installed.
    /// </summary>
    public static async Task<LibraryPair> MakeLibraryPairSourcesAsync(string parent, string library = "libgreet", string program = "greeter")
    {
        var specs = Path.Combine(parent, "specs");
        var libraryDir = Path.Combine(specs, library);
        Directory.CreateDirectory(libraryDir);
        await File.WriteAllTextAsync(Path.Combine(libraryDir, "greet.h"), "#ifndef GREET_H\n#define GREET_H\nconst char *greet_message(void);\n#endif\n");
        await File.WriteAllTextAsync(Path.Combine(libraryDir, "greet.c"), $"#include \"greet.h\"\nconst char *greet_message(void) {{ return \"{LibraryPair.Greeting}\"; }}\n");
        await File.WriteAllTextAsync(Path.Combine(libraryDir, "greet.pc"), """
            prefix=/usr
            libdir=${prefix}/lib64
            includedir=${prefix}/include

            Name: greet
            Description: Greetings for the Forgeline tests
            Version: 1.0
            Libs: -L${libdir} -lgreet
            Cflags: -I${includedir}

            """);
        // The .so link is absolute on purpose: real -devel packages have such links, and they must resolve in the build's view.
        await File.WriteAllTextAsync(Path.Combine(libraryDir, $"{library}.spec"), $$"""
            Name:           {{library}}
            Version:        1.0
            Release:        1
            Summary:        Greeting library for the Forgeline tests
            License:        MIT
            Source0:        greet.c
            Source1:        greet.h
            Source2:        greet.pc

            %description
            A shared library that says hello, made by the Forgeline test suite.

            %package devel
            Summary:        Header and link for {{library}}
            Requires:       %{name} = %{version}-%{release}

            %description devel
            The header, .so link and pkg-config file of {{library}}.

            %prep
            cp %{SOURCE0} %{SOURCE1} %{SOURCE2} .

            %build
            %{__cc} %{optflags} -fPIC -shared -Wl,-soname,libgreet.so.1 -o libgreet.so.1.0 greet.c

            %install
            install -D -m 0755 libgreet.so.1.0 %{buildroot}%{_libdir}/libgreet.so.1.0
            ln -s libgreet.so.1.0 %{buildroot}%{_libdir}/libgreet.so.1
            ln -s %{_libdir}/libgreet.so.1 %{buildroot}%{_libdir}/libgreet.so
            install -D -m 0644 greet.h %{buildroot}%{_includedir}/greet.h
            install -D -m 0644 greet.pc %{buildroot}%{_libdir}/pkgconfig/greet.pc

            %files
            %{_libdir}/libgreet.so.1*

            %files devel
            %{_includedir}/greet.h
            %{_libdir}/libgreet.so
            %{_libdir}/pkgconfig/greet.pc
            """);

        var programDir = Path.Combine(specs, program);
        Directory.CreateDirectory(programDir);
        await File.WriteAllTextAsync(Path.Combine(programDir, "greeter.c"), "#include <stdio.h>\n#include <greet.h>\nint main(void) { puts(greet_message()); return 0; }\n");
        await File.WriteAllTextAsync(Path.Combine(programDir, $"{program}.spec"), $$"""
            Name:           {{program}}
            Version:        1.0
            Release:        1
            Summary:        Greets through {{library}}
            License:        MIT
            BuildRequires:  {{library}}-devel
            Source0:        greeter.c

            %description
            A program built against {{library}}, made by the Forgeline test suite.

            %prep
            cp %{SOURCE0} .

            %build
            %{__cc} %{optflags} -o {{program}} greeter.c -lgreet
            pkg-config --exists greet
            echo "greet $(pkg-config --modversion greet) found by pkg-config"

            %install
            install -D -m 0755 {{program}} %{buildroot}%{_bindir}/{{program}}

            %check
            ./{{program}}

            %files
            %{_bindir}/{{program}}
            """);

        return new LibraryPair(library, program, libraryDir, programDir,
            await PackSrpmAsync(parent, libraryDir, library, "1.0", "1"),
            await PackSrpmAsync(parent, programDir, program, "1.0", "1"));
    }

    private static async Task<string> PackSrpmAsync(string parent, string dir, string name, string version, string release)
    {
        var top = Path.Combine(parent, $"rpmbuild-{name}-{release}");
        await ProcessRunner.RunCheckedAsync("rpmbuild", "-bs", "--nodeps", "--define", $"_topdir {top}", "--define", $"_sourcedir {dir}",
            "--define", $"_srcrpmdir {parent}", "--define", "_buildhost forgeline-test", Path.Combine(dir, $"{name}.spec"));
        return Path.Combine(parent, $"{name}-{version}-{release}.src.rpm");
    }
}
