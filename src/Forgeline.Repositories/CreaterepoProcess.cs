using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Forgeline.Repositories;

/// <summary>Runs createrepo_c for one generation and turns its failures into errors that say what to do.</summary>
internal static class CreaterepoProcess
{
    private const int StderrTailLength = 2000;

    /// <summary>
    /// Writes <c>&lt;outputDirectory&gt;/repodata</c> for the pool files listed in <paramref name="pkglist"/> (relative to
    /// <paramref name="root"/>), reusing the metadata of <paramref name="updateFrom"/> (a generation directory) when given.
    /// Returns what it printed on stderr: createrepo_c skips a package it cannot read with only a warning there, and exits 0.
    /// </summary>
    public static async Task<string> RunAsync(
        RepositoryPublisherOptions options, string root, string outputDirectory, string pkglist, string? updateFrom, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.CreaterepoPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        // No sqlite databases: dnf and yum read the XML, and they are most of createrepo_c's time.
        foreach (var argument in new[] { "--pkglist", pkglist, "--outputdir", outputDirectory, "--no-database" })
        {
            start.ArgumentList.Add(argument);
        }

        if (updateFrom is not null)
        {
            // --skip-stat is safe here: a pool path names its content's digest, and the publisher leaves --update out
            // when a file name comes back with other content (createrepo_c matches old metadata by file name).
            foreach (var argument in new[] { "--update", "--update-md-path", updateFrom, "--skip-stat" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        if (options.CreaterepoWorkers is int workers)
        {
            start.ArgumentList.Add("--workers");
            start.ArgumentList.Add(workers.ToString(CultureInfo.InvariantCulture));
        }

        start.ArgumentList.Add(root);
        start.Environment["LC_ALL"] = "C";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process was started");
        }
        catch (Win32Exception e)
        {
            throw new RepositoryPublishException(
                $"createrepo_c could not be started as '{options.CreaterepoPath}' ({e.Message}); install it (Debian: apt-get install createrepo-c, " +
                "Fedora: dnf install createrepo_c) or set RepositoryPublisherOptions.CreaterepoPath to its full path. The repository was left as it was", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            await stdout;
            var errors = await stderr;
            if (process.ExitCode != 0)
            {
                throw new RepositoryPublishException(
                    $"createrepo_c failed with exit code {process.ExitCode}; the repository was left as it was. The end of its output says why: {Tail(errors)}");
            }

            return errors;
        }
    }

    /// <summary>The last part of createrepo_c's error output, for messages.</summary>
    public static string Tail(string errors)
    {
        var trimmed = errors.Trim();
        return trimmed.Length <= StderrTailLength ? trimmed : "…" + trimmed[^StderrTailLength..];
    }
}
