using System.Diagnostics;
using System.Globalization;
using System.Text;
using Forgeline.Images.Definitions;

namespace Forgeline.Images.Build;

/// <summary>
/// Applies an image definition's own changes to an installed root, in this order: users (into /etc/passwd, /etc/shadow,
/// /etc/group), files, then the setup script, run as root inside the root (bubblewrap, single-uid user namespace, no
/// network, nothing of the host visible).
/// </summary>
public sealed class RootCustomizer(SandboxTool tools)
{
    /// <summary>Applies <paramref name="definition"/>'s users, files and setup script to <paramref name="root"/>.</summary>
    public async Task ApplyAsync(ImageDefinition definition, string root, string workDirectory, Func<string, Task> log, CancellationToken cancellationToken)
    {
        foreach (var user in definition.Users)
        {
            AddUser(root, user);
            await log($"user {user.Name} added");
        }

        foreach (var (path, content) in definition.Files)
        {
            var host = RootPath.Resolve(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(host)!);
            await File.WriteAllTextAsync(host, content, cancellationToken);
            await log($"file {path} written ({content.Length} characters)");
        }

        if (!string.IsNullOrWhiteSpace(definition.Setup))
        {
            await RunSetupAsync(definition.Setup, root, workDirectory, log, cancellationToken);
        }
    }

    private async Task RunSetupAsync(string script, string root, string workDirectory, Func<string, Task> log, CancellationToken cancellationToken)
    {
        var shell = RootPath.Resolve(root, "/bin/sh");
        if (!File.Exists(shell))
        {
            throw new ImageBuildException("the setup script needs /bin/sh in the image, and the root has none (add a shell package)");
        }

        var start = new ProcessStartInfo(tools.Find("bwrap"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The root is / for the script: it sees only the image, with its own /proc, /dev, /tmp, and no network.
        string[] arguments =
        [
            "--unshare-all", "--unshare-user", "--uid", "0", "--gid", "0", "--die-with-parent", "--new-session",
            "--bind", root, "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--hostname", "image-setup",
            "--cap-drop", "ALL", "--cap-add", "CAP_CHOWN", "--cap-add", "CAP_DAC_OVERRIDE", "--cap-add", "CAP_FOWNER", "--cap-add", "CAP_FSETID",
            "--clearenv", "--setenv", "PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "--setenv", "HOME", "/root", "--setenv", "LC_ALL", "C",
            "--chdir", "/", "/bin/sh", "-e", "-c", script, "setup",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var output = Path.Combine(workDirectory, "setup.log");
        var started = Stopwatch.GetTimestamp();
        var (code, stderr) = await SandboxTool.RunProcessAsync(start, null, output, cancellationToken);
        var stdout = await File.ReadAllTextAsync(output, cancellationToken);
        foreach (var line in (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(50))
        {
            await log("setup: " + line);
        }

        if (code != 0)
        {
            throw new ImageBuildException($"the setup script failed with exit status {code}{SandboxTool.Tail(stderr.Length > 0 ? stderr : stdout)}");
        }

        await log($"setup script done in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s");
    }

    private static void AddUser(string root, ImageUser user)
    {
        var passwd = RootPath.Resolve(root, "/etc/passwd");
        var shadow = RootPath.Resolve(root, "/etc/shadow");
        var group = RootPath.Resolve(root, "/etc/group");
        if (!File.Exists(passwd))
        {
            throw new ImageBuildException($"user {user.Name}: the root has no /etc/passwd (install the package that makes the base accounts)");
        }

        var passwdLines = ReadLines(passwd);
        var groupLines = ReadLines(group);
        var shadowLines = ReadLines(shadow);
        var hash = string.IsNullOrEmpty(user.PasswordHash) ? "!" : user.PasswordHash;
        var existing = passwdLines.FindIndex(l => l.StartsWith(user.Name + ":", StringComparison.Ordinal));
        if (existing < 0)
        {
            var used = passwdLines.Concat(groupLines).Select(l => l.Split(':')).Where(f => f.Length > 2)
                .Select(f => int.TryParse(f[2], CultureInfo.InvariantCulture, out var id) ? id : 0).ToHashSet();
            var id = 1000;
            while (used.Contains(id))
            {
                id++;
            }

            var home = user.Name == "root" ? "/root" : "/home/" + user.Name;
            passwdLines.Add($"{user.Name}:x:{id}:{id}:{user.Name}:{home}:/bin/sh");
            if (!groupLines.Any(l => l.StartsWith(user.Name + ":", StringComparison.Ordinal)))
            {
                groupLines.Add($"{user.Name}:x:{id}:");
            }

            Directory.CreateDirectory(RootPath.Resolve(root, home));
        }

        shadowLines.RemoveAll(l => l.StartsWith(user.Name + ":", StringComparison.Ordinal));
        shadowLines.Add($"{user.Name}:{hash}:20000:0:99999:7:::");
        foreach (var name in user.Groups)
        {
            var index = groupLines.FindIndex(l => l.StartsWith(name + ":", StringComparison.Ordinal));
            if (index < 0)
            {
                var used = groupLines.Select(l => l.Split(':')).Where(f => f.Length > 2)
                    .Select(f => int.TryParse(f[2], CultureInfo.InvariantCulture, out var id) ? id : 0).ToHashSet();
                var gid = 900;
                while (used.Contains(gid))
                {
                    gid++;
                }

                groupLines.Add($"{name}:x:{gid}:{user.Name}");
                continue;
            }

            var fields = groupLines[index].Split(':');
            var members = fields[^1].Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
            if (!members.Contains(user.Name))
            {
                members.Add(user.Name);
            }

            fields[^1] = string.Join(',', members);
            groupLines[index] = string.Join(':', fields);
        }

        WriteLines(passwd, passwdLines, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        WriteLines(group, groupLines, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        WriteLines(shadow, shadowLines, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static List<string> ReadLines(string path) =>
        File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0)] : [];

    private static void WriteLines(string path, List<string> lines, UnixFileMode mode)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        var temporary = path + ".forgeline-new";
        File.WriteAllText(temporary, text.ToString());
        File.SetUnixFileMode(temporary, mode);
        File.Move(temporary, path, overwrite: true);
    }
}
