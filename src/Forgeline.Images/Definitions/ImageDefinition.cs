namespace Forgeline.Images.Definitions;

/// <summary>
/// An OS image as a project describes it in YAML (<c>images/NAME.yaml</c>): where the packages come from, which
/// packages, users, files and a setup script, the kernel and its command line, and the formats to build. Read with
/// <see cref="ImageDefinitionReader"/>, which also checks it.
/// </summary>
public sealed class ImageDefinition
{
    /// <summary>The image's name (a resource name: it names the artifacts).</summary>
    public string Name { get; set; } = "";

    /// <summary>Where the packages come from, in order.</summary>
    public List<ImageRepository> Repositories { get; set; } = [];

    /// <summary>Packages (or capabilities, groups) installed into the root.</summary>
    public List<string> Packages { get; set; } = [];

    /// <summary>Accounts made in the image.</summary>
    public List<ImageUser> Users { get; set; } = [];

    /// <summary>Files put into the image: absolute path → content.</summary>
    public Dictionary<string, string> Files { get; set; } = [];

    /// <summary>A shell script run as root inside the image after the packages and files, without network.</summary>
    public string? Setup { get; set; }

    /// <summary>What to build: <c>qcow2</c>, <c>raw</c>, <c>rootfs</c> (a tar.gz), <c>iso</c>.</summary>
    public List<string> Formats { get; set; } = ["qcow2"];

    /// <summary>The kernel and how it boots.</summary>
    public ImageKernel Kernel { get; set; } = new();

    /// <summary>The disk's size in MiB (qcow2 and raw).</summary>
    public int DiskSizeMb { get; set; } = 1024;
}

/// <summary>One repository of an image: a URL (with its key) or a Forgeline project's published repository.</summary>
public sealed class ImageRepository
{
    /// <summary>dnf's id for it (default: the project's name).</summary>
    public string? Id { get; set; }

    /// <summary>A repository URL (<c>http</c>, <c>https</c> or <c>file</c>).</summary>
    public string? Url { get; set; }

    /// <summary>Its armored OpenPGP key, or a path next to the definition holding it; packages are checked with it.</summary>
    public string? GpgKey { get; set; }

    /// <summary>A Forgeline project whose published repository this is (checked with the project's key).</summary>
    public string? Project { get; set; }

    /// <summary>With <see cref="Project"/>: the project's chroot (default: the image's target).</summary>
    public string? Chroot { get; set; }
}

/// <summary>An account in the image.</summary>
public sealed class ImageUser
{
    /// <summary>Login name.</summary>
    public string Name { get; set; } = "";

    /// <summary>A crypt(3) hash (<c>$6$…</c>); none: the account cannot log in with a password.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Supplementary groups, e.g. <c>wheel</c>.</summary>
    public List<string> Groups { get; set; } = [];
}

/// <summary>The kernel of an image.</summary>
public sealed class ImageKernel
{
    /// <summary>The package that holds it (default <c>kernel</c>).</summary>
    public string Package { get; set; } = "kernel";

    /// <summary>The kernel command line (the root device is added by the build).</summary>
    public string Cmdline { get; set; } = "console=tty0 console=ttyS0";
}
