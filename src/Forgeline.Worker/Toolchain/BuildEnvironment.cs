using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Forgeline.Worker.Toolchain;

/// <summary>
/// The name of a worker's build environment, e.g. <c>debian-12-3f9c0a1b2c4d</c>: the OS and a short sha256 over the
/// facts of its toolchain. Workers with the same name build the same inputs into the same outputs, so the server can
/// reuse a build from any of them; a toolchain update changes the name.
/// </summary>
public static class BuildEnvironment
{
    /// <summary>This machine's architecture as rpm names it.</summary>
    public static string MachineArch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        Architecture.X86 => "i686",
        Architecture.Arm => "armv7hl",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loongarch64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The environment's name for <paramref name="facts"/>.</summary>
    public static string Name(BuildEnvironmentFacts facts)
    {
        // One "key=value" line per fact in a fixed order: the same facts always give the same bytes.
        var text = new StringBuilder()
            .Append("os=").Append(facts.OsId).Append('\n')
            .Append("version=").Append(facts.OsVersion).Append('\n')
            .Append("arch=").Append(facts.Arch).Append('\n')
            .Append("rpm=").Append(facts.Rpm).Append('\n')
            .Append("dist=").Append(facts.RpmDist).Append('\n')
            .Append("gcc=").Append(facts.Gcc).Append('\n')
            .Append("make=").Append(facts.Make).Append('\n')
            .Append("binutils=").Append(facts.Binutils).Append('\n')
            .ToString();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        var os = Slug(facts.OsId) is { Length: > 0 } id ? id : "linux";
        return Slug(facts.OsVersion) is { Length: > 0 } version ? $"{os}-{version}-{hash}" : $"{os}-{hash}";
    }

    /// <summary>Gathers the facts with <paramref name="probe"/> and names them.</summary>
    public static async Task<string> ComputeAsync(IBuildEnvironmentProbe probe, CancellationToken cancellationToken) =>
        Name(await probe.GatherAsync(cancellationToken));

    // Keeps names within the worker-name rule (letters, digits, '-', '_', '.') and short.
    private static string Slug(string text)
    {
        var slug = new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '-').ToArray()).Trim('-', '.');
        return slug.Length <= 20 ? slug : slug[..20];
    }
}
