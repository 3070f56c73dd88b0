using Forgeline.Core.Builds;

namespace Forgeline.Core.Projects;

/// <summary>A spec to read: the package's sources and how to read them.</summary>
/// <param name="Source">The sources, as a build names them.</param>
/// <param name="SourceFile">For <see cref="SourceKind.Srpm"/> and <see cref="SourceKind.Directory"/>: a local path to the source blob (the SRPM, or the directory's tar.gz); null for git.</param>
/// <param name="Arch">The architecture the packages are built for, e.g. <c>x86_64</c>.</param>
/// <param name="Macros">RPM macros defined while reading (a project's <c>dist</c> among them), as for the build.</param>
public sealed record SpecReadRequest(BuildSource Source, string? SourceFile, string Arch, IReadOnlyDictionary<string, string>? Macros = null);
