namespace Forgeline.Testing;

/// <summary>One package of a <see cref="GeneratedProject"/>.</summary>
/// <param name="Name">Its name (also its spec's and directory's name).</param>
/// <param name="Level">Its level: 0 needs no project package; otherwise one more than its highest requirement's.</param>
/// <param name="SpecDirectory">The directory with its spec, ready to pack or to build with rpmbuild.</param>
/// <param name="Requires">The project packages it build-requires, in ordinal order.</param>
/// <param name="BuildRequires">Its spec's BuildRequires lines, as written (by name or <c>NAME-api &gt;= 1.0</c>).</param>
public sealed record GeneratedPackage(string Name, int Level, string SpecDirectory, IReadOnlyList<string> Requires, IReadOnlyList<string> BuildRequires);
