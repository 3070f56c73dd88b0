namespace Forgeline.Testing;

/// <summary>
/// A C library and a program that builds against it (<see cref="TestPackages.MakeLibraryPairSourcesAsync"/>): the
/// program's spec has <c>BuildRequires: &lt;library&gt;-devel</c>, includes <c>&lt;greet.h&gt;</c>, links <c>-lgreet</c>
/// and its %check runs it, printing <see cref="Greeting"/>. Without the library's RPMs it fails to compile.
/// </summary>
/// <param name="Library">The library's package name; it makes <c>Library</c> (the shared object) and <c>Library-devel</c> (header, .so link, .pc file).</param>
/// <param name="Program">The program's package name.</param>
/// <param name="LibrarySpecDirectory">Spec and sources of the library, for directory submissions.</param>
/// <param name="ProgramSpecDirectory">Spec and sources of the program.</param>
/// <param name="LibrarySrpm">The library's source RPM.</param>
/// <param name="ProgramSrpm">The program's source RPM.</param>
public sealed record LibraryPair(string Library, string Program, string LibrarySpecDirectory, string ProgramSpecDirectory, string LibrarySrpm, string ProgramSrpm)
{
    /// <summary>What the program prints (from the library) when it runs in %check.</summary>
    public const string Greeting = "hello from libgreet";

    /// <summary>What the compiler says when the program is built without the library's -devel package.</summary>
    public const string MissingHeaderError = "greet.h: No such file or directory";
}
