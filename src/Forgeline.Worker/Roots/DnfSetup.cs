using System.Text;
using Forgeline.Core.Workers;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Roots;

/// <summary>
/// How the host's dnf is run for one job's root: a private configuration (no host repositories, no plugins, only the
/// lease's repositories, each with its key), the target's rpm database path, and the sandbox paths it sees. The
/// configuration directory is never shown to the build itself: it may hold the worker's token for the server's
/// repositories.
/// </summary>
public sealed class DnfSetup
{
    /// <summary>Where dnf sees the configuration directory (read-only).</summary>
    public const string ConfigPath = "/forgeline";

    /// <summary>Where dnf sees the target's cache (metadata and downloaded RPMs).</summary>
    public const string CachePath = "/var/cache/forgeline-dnf";

    /// <summary>Where dnf sees the job's own dependencies repository (RPMs of the project built for this job).</summary>
    public const string JobRepositoryPath = "/forgeline-job-repo";

    /// <summary>The id of the job's own dependencies repository.</summary>
    public const string JobRepositoryId = "forgeline-job";

    // Shown on failure: dnf's lines that say why, not its progress.
    private static readonly string[] ReasonMarkers =
    [
        "Error:", "No match for argument", "nothing provides", "Problem", "conflicts with", "Curl error", "Cannot download",
        "GPG", "gpg", "signature", "Public key", "is not signed", "Failed to download", "repomd.xml", "Unable to find a match",
        "not installed", "cannot install", "Status code",
    ];

    private readonly JobRoot root;
    private readonly List<SandboxBind> binds = [];

    private DnfSetup(JobRoot root, string configDirectory, string cacheDirectory)
    {
        this.root = root;
        ConfigDirectory = configDirectory;
        CacheDirectory = cacheDirectory;
    }

    /// <summary>The configuration directory on the host.</summary>
    public string ConfigDirectory { get; }

    /// <summary>The target's dnf cache on the host.</summary>
    public string CacheDirectory { get; }

    /// <summary>The mounts dnf needs: configuration, cache, local repositories.</summary>
    public IReadOnlyList<SandboxBind> Binds => binds;

    /// <summary>
    /// Writes the configuration for <paramref name="root"/> into <paramref name="configDirectory"/> (made private to the
    /// worker). <paramref name="server"/> and <paramref name="token"/> reach repositories on the Forgeline server
    /// (paths starting with <c>/</c>); <paramref name="jobRepository"/> is a local repository of the job's own
    /// dependencies, or null.
    /// </summary>
    public static DnfSetup Write(JobRoot root, string configDirectory, string cacheDirectory, Uri? server, string? token, string? jobRepository)
    {
        var setup = new DnfSetup(root, configDirectory, cacheDirectory);
        Directory.CreateDirectory(configDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(configDirectory, "keys"));
        Directory.CreateDirectory(Path.Combine(configDirectory, "home"));
        Directory.CreateDirectory(Path.Combine(configDirectory, "none"));
        Directory.CreateDirectory(cacheDirectory);
        // Debian's rpm keeps its database in ~/.rpmdb; the root's own rpm looks where the target's does.
        File.WriteAllText(Path.Combine(configDirectory, "home", ".rpmmacros"), $"%_dbpath {root.RpmDbPath}\n");

        var text = new StringBuilder();
        text.Append("[main]\n")
            .Append("reposdir=").Append(ConfigPath).Append("/none\n")
            .Append("plugins=0\nkeepcache=1\ninstall_weak_deps=0\ntsflags=nodocs\nmetadata_expire=0\nbest=1\nskip_if_unavailable=0\n")
            .Append("gpgcheck=0\nrepo_gpgcheck=0\n\n");
        foreach (var repository in root.Repositories)
        {
            CheckId(repository.Id);
            var url = repository.Url;
            string? credentials = null;
            if (url.StartsWith('/'))
            {
                if (server is null)
                {
                    throw new JobErrorException($"repository '{repository.Id}' is on the Forgeline server ({url}), but this worker does not know the server's URL");
                }

                url = new Uri(server, url).ToString();
                credentials = token;
            }

            var uri = new Uri(url);
            if (uri.IsFile)
            {
                // A local repository is bound read-only where its URL says.
                if (!Directory.Exists(uri.LocalPath))
                {
                    throw new JobFailedException($"repository '{repository.Id}' cannot be read: {uri.LocalPath} does not exist on this worker");
                }

                setup.binds.Add(new SandboxBind(uri.LocalPath, uri.LocalPath, ReadOnly: true));
            }
            else if (uri.Scheme is not ("http" or "https"))
            {
                throw new JobFailedException($"repository '{repository.Id}' has a '{uri.Scheme}' URL; only http, https and file repositories are supported");
            }

            text.Append('[').Append(repository.Id).Append("]\n")
                .Append("name=").Append(repository.Id).Append('\n')
                .Append("baseurl=").Append(url).Append('\n')
                .Append("enabled=1\n")
                // The project's packages win over the distribution's of the same name.
                .Append("priority=").Append(repository.Layer == JobRepository.ProjectLayer ? 10 : 50).Append('\n');
            if (repository.GpgKey is { Length: > 0 } key)
            {
                File.WriteAllText(Path.Combine(configDirectory, "keys", repository.Id + ".asc"), key);
                text.Append("gpgcheck=1\nrepo_gpgcheck=").Append(repository.SignedMetadata ? 1 : 0).Append("\ngpgkey=file://").Append(ConfigPath).Append("/keys/").Append(repository.Id).Append(".asc\n");
            }

            if (credentials is not null)
            {
                text.Append("username=forgeline\npassword=").Append(credentials).Append('\n');
            }

            text.Append('\n');
        }

        if (jobRepository is not null)
        {
            // RPMs the server named by digest and the worker checked: no signature to check, the digest was.
            setup.binds.Add(new SandboxBind(jobRepository, JobRepositoryPath, ReadOnly: true));
            text.Append('[').Append(JobRepositoryId).Append("]\nname=this build's dependencies\nbaseurl=file://").Append(JobRepositoryPath)
                .Append("\nenabled=1\npriority=5\ngpgcheck=0\n\n");
        }

        var config = Path.Combine(configDirectory, "dnf.conf");
        File.WriteAllText(config, text.ToString());
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        setup.binds.Insert(0, new SandboxBind(configDirectory, ConfigPath, ReadOnly: true));
        setup.binds.Insert(1, new SandboxBind(cacheDirectory, CachePath, ReadOnly: false));
        return setup;
    }

    /// <summary>Variables dnf runs with: the home whose <c>.rpmmacros</c> sets the target's rpm database path.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = ConfigPath + "/home" };

    /// <summary>
    /// The command that installs <paramref name="specs"/> (none: only lists) into the root and then writes the root's
    /// package list, sorted, to <c>/build/packages.txt</c>.
    /// </summary>
    public IReadOnlyList<string> InstallCommand(IReadOnlyList<string> specs)
    {
        const string Script = """
            dbpath=$1; shift
            if [ "$#" -gt 0 ]; then dnf "$@" || exit $?; fi
            rpm --root /installroot --dbpath "$dbpath" -qa --qf '%{NAME}-%|EPOCH?{%{EPOCH}:}|%{VERSION}-%{RELEASE}.%{ARCH}\n' > /build/packages.unsorted || exit $?
            LC_ALL=C sort /build/packages.unsorted > /build/packages.txt && rm /build/packages.unsorted
            """;
        var command = new List<string> { "/bin/sh", "-c", Script, "install", root.RpmDbPath };
        if (specs.Count > 0)
        {
            command.AddRange(["-c", ConfigPath + "/dnf.conf", "--installroot", SandboxRoot.InstallPath, "--releasever", root.ReleaseVersion,
                "--setopt=cachedir=" + CachePath, "--assumeyes", "--disablerepo=*", ..root.Repositories.Select(r => "--enablerepo=" + r.Id)]);
            if (binds.Any(b => b.SandboxPath == JobRepositoryPath))
            {
                command.Add("--enablerepo=" + JobRepositoryId);
            }

            command.Add("install");
            command.Add("--");
            command.AddRange(specs);
        }

        return command;
    }

    /// <summary>The lines of dnf's output that say why it failed, joined; null when none does.</summary>
    public static string? Reason(string outputTail)
    {
        var lines = outputTail.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => ReasonMarkers.Any(m => l.Contains(m, StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal).ToList();
        if (lines.Count == 0)
        {
            return null;
        }

        var text = string.Join("; ", lines);
        return text.Length <= 800 ? text : text[..800] + "…";
    }

    private static void CheckId(string id)
    {
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || id == JobRepositoryId)
        {
            throw new JobFailedException($"the server sent a bad repository id '{id}': use 1-64 letters, digits, '-', '_' or '.'");
        }
    }
}
