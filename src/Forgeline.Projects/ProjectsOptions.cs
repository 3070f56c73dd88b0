using System.ComponentModel.DataAnnotations;

namespace Forgeline.Projects;

/// <summary>Settings of projects and their repositories, bound from <c>Forgeline:Projects</c> (env <c>Forgeline__Projects__*</c>).</summary>
public sealed class ProjectsOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Forgeline:Projects";

    /// <summary>The chroot of a project created without any (<c>distribution-version-arch</c>).</summary>
    [Required]
    [RegularExpression(ProjectRules.ChrootPattern)]
    public string DefaultChroot { get; set; } = "forgeline-1-" + (System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "aarch64" : "x86_64");

    /// <summary>Algorithm of the key made for a project that names none.</summary>
    [RegularExpression("^(rsa2048|rsa3072|rsa4096|ed25519)$")]
    public string KeyAlgorithm { get; set; } = "rsa3072";

    /// <summary>
    /// What the build environment provides without any package of the project: workers build with their host's
    /// toolchain, so a BuildRequires on one of these is met by the worker (file paths and <c>rpmlib(…)</c> always are).
    /// </summary>
    public List<string> BuildrootProvides { get; set; } =
    [
        "bash", "binutils", "bzip2", "coreutils", "cpio", "diffutils", "file", "findutils", "gawk", "gcc", "gcc-c++", "glibc",
        "glibc-devel", "grep", "gzip", "make", "patch", "pkgconfig", "pkgconf-pkg-config", "redhat-rpm-config", "rpm-build",
        "sed", "shadow-utils", "tar", "unzip", "util-linux", "which", "xz",
    ];

    /// <summary>How often the coordinator looks at batches even when no build ended, in seconds.</summary>
    [Range(1, 3600)]
    public int CoordinatorIntervalSeconds { get; set; } = 5;

    /// <summary>Largest webhook body accepted, in bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxWebhookBytes { get; set; } = 1024 * 1024;

    /// <summary>The server's address as users reach it, for the <c>.repo</c> files (e.g. <c>https://forge.example.org</c>); the request's own when empty.</summary>
    public string? PublicUrl { get; set; }
}
