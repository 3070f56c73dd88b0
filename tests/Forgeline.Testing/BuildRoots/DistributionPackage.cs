namespace Forgeline.Testing.BuildRoots;

/// <summary>
/// One small noarch package of the <see cref="TestDistribution"/>: a single file, optional extra Provides.
/// </summary>
/// <param name="Name">Its name.</param>
/// <param name="Version">Its version (release is always 1).</param>
/// <param name="FilePath">The one file it ships, absolute.</param>
/// <param name="FileContent">That file's content.</param>
/// <param name="Executable">Whether the file is installed 0755 (else 0644).</param>
/// <param name="Provides">Extra <c>Provides:</c> lines, e.g. <c>glibc-devel = 2.38</c>.</param>
public sealed record DistributionPackage(
    string Name, string Version, string FilePath, string FileContent, bool Executable = false, IReadOnlyList<string>? Provides = null)
{
    /// <summary>Its <c>name-version-release.arch.rpm</c> file name.</summary>
    public string FileName => $"{Name}-{Version}-1.noarch.rpm";

    /// <summary>The spec that builds it from one source file, <see cref="SourceName"/>.</summary>
    public string Spec() => $$"""
        Name:       {{Name}}
        Version:    {{Version}}
        Release:    1
        Summary:    Forgeline test distribution package {{Name}}
        License:    MIT
        BuildArch:  noarch
        AutoReqProv: no
        Source0:    {{SourceName}}
        {{string.Concat((Provides ?? []).Select(p => $"Provides:   {p}\n"))}}
        %description
        Package {{Name}} of the Forgeline test distribution.

        %install
        install -D -m {{(Executable ? "0755" : "0644")}} %{SOURCE0} %{buildroot}{{FilePath}}

        %files
        {{FilePath}}
        """;

    /// <summary>The name of its source file.</summary>
    public string SourceName => $"{Name}.source";
}
