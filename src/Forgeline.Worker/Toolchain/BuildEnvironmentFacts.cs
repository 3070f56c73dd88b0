namespace Forgeline.Worker.Toolchain;

/// <summary>What a build's result depends on in the worker's toolchain, as the host reports it.</summary>
/// <param name="OsId"><c>ID</c> of /etc/os-release, e.g. <c>debian</c>.</param>
/// <param name="OsVersion"><c>VERSION_ID</c> of /etc/os-release, e.g. <c>12</c>.</param>
/// <param name="Arch">The machine architecture, e.g. <c>x86_64</c>.</param>
/// <param name="Rpm"><c>rpm --version</c>.</param>
/// <param name="RpmDist"><c>rpm --eval '%{?dist}'</c>: the dist tag the rpm macros give.</param>
/// <param name="Gcc"><c>gcc -dumpfullversion</c>.</param>
/// <param name="Make">First line of <c>make --version</c>.</param>
/// <param name="Binutils">First line of <c>ld --version</c>.</param>
public sealed record BuildEnvironmentFacts(string OsId, string OsVersion, string Arch, string Rpm, string RpmDist, string Gcc, string Make, string Binutils)
{
    /// <summary>What a tool that is not installed contributes.</summary>
    public const string Absent = "absent";
}
