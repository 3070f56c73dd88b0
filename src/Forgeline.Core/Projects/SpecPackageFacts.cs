using Forgeline.Rpm;
namespace Forgeline.Core.Projects;

/// <summary>One binary package a spec makes.</summary>
/// <param name="Name">Its name, e.g. <c>foo-devel</c>.</param>
/// <param name="Arch"><c>noarch</c>, or the architecture it is built for.</param>
/// <param name="Provides">What it provides, its own <c>name = evr</c> included (not the file-based provides rpmbuild adds when it builds).</param>
/// <param name="Requires">What it requires at run time, as the spec states it (not the automatic library dependencies).</param>
public sealed record SpecPackageFacts(string Name, string Arch, IReadOnlyList<RpmCapability> Provides, IReadOnlyList<RpmCapability> Requires);
