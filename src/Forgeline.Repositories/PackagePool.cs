using System.Buffers;
using System.Security.Cryptography;
using Forgeline.Rpm;

namespace Forgeline.Repositories;

/// <summary>
/// The repository's package files, stored by content under <c>Packages/ab/&lt;sha256&gt;/&lt;file&gt;</c>. A file enters the
/// pool only verified against its digest, through <c>.incoming/</c> and one rename, so a pool path always holds exactly the
/// content it names and a file of an older generation is never changed under a reader.
/// </summary>
internal sealed class PackagePool(RepositoryLayout layout)
{
    private const int BufferSize = 1024 * 1024;

    /// <summary>
    /// Brings every package whose pool file is missing into the pool: hard-linked from its source when the file system
    /// allows (else copied), hashed, and renamed into place only when the digest matches. Pool paths in
    /// <paramref name="present"/> (the served generation's) are not looked at: a generation's files stay until it is
    /// pruned. Returns how many files it added.
    /// Nothing is synced here: the publisher syncs the file system once before it switches to metadata listing them.
    /// </summary>
    public async Task<int> FillAsync(IEnumerable<KeyValuePair<string, RepositoryPackage>> packages, IReadOnlySet<string> present, CancellationToken cancellationToken)
    {
        var missing = packages.Where(p => !present.Contains(p.Key) && !File.Exists(Path.Combine(layout.Root, p.Key))).Select(p => p.Value).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }

        Directory.CreateDirectory(layout.IncomingDirectory);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(missing, parallel, async (package, ct) => await AddAsync(package, ct));

        return missing.Count;
    }

    /// <summary>Deletes pool files (and their emptied directories); missing ones are fine.</summary>
    public void Delete(IEnumerable<string> poolPaths)
    {
        foreach (var poolPath in poolPaths)
        {
            var file = Path.Combine(layout.Root, poolPath);
            var digestDirectory = Path.GetDirectoryName(file)!;
            if (!Directory.Exists(digestDirectory))
            {
                continue;
            }

            File.Delete(file);
            DeleteIfEmpty(digestDirectory);
            DeleteIfEmpty(Path.GetDirectoryName(digestDirectory)!);
        }
    }

    /// <summary>Empties <c>.incoming/</c>: files a failed or killed publish did not finish.</summary>
    public void ClearIncoming()
    {
        if (Directory.Exists(layout.IncomingDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(layout.IncomingDirectory))
            {
                File.Delete(file);
            }
        }
    }

    private async Task AddAsync(RepositoryPackage package, CancellationToken cancellationToken)
    {
        var incoming = Path.Combine(layout.IncomingDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            string actual;
            try
            {
                actual = LinuxFiles.TryLink(package.SourcePath, incoming)
                    ? await HashAsync(incoming, cancellationToken)
                    : await CopyAndHashAsync(package.SourcePath, incoming, cancellationToken);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new RepositoryPublishException(
                    $"{package.FileName}: its source {package.SourcePath} does not exist; the artifact is gone from the store. Rebuild the package or drop it from the repository, then publish again", e);
            }

            if (actual != package.Sha256)
            {
                throw new RepositoryPublishException(
                    $"{package.FileName}: its source {package.SourcePath} has sha256 {actual}, but {package.Sha256} was recorded for it; the artifact was damaged or tampered with. " +
                    "Nothing was published; rebuild the package (or restore the artifact) and publish again");
            }

            CheckIntegrity(package, incoming);
            var target = Path.Combine(layout.Root, RepositoryLayout.PoolPath(package));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(incoming, target, overwrite: true);
        }
        finally
        {
            File.Delete(incoming);
        }
    }

    /// <summary>
    /// A package whose recorded digest matches may still have been corrupt when it was recorded: its own digests (header,
    /// payload, MD5, size) are checked too, on the pool's copy, so what dnf would reject never reaches the metadata.
    /// </summary>
    private static void CheckIntegrity(RepositoryPackage package, string incoming)
    {
        RpmIntegrityReport report;
        try
        {
            report = RpmIntegrity.Check(incoming);
        }
        catch (RpmFormatException e)
        {
            throw new RepositoryPublishException(
                $"{package.FileName}: not a readable RPM ({e.Message}). Nothing was published; rebuild the package or drop it from the repository, then publish again", e);
        }

        if (!report.IsIntact)
        {
            throw new RepositoryPublishException(
                $"{package.FileName}: not publishing a corrupt package: {report.Problem}. Nothing was published; rebuild the package (or restore the artifact) and publish again");
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    private static async Task<string> CopyAndHashAsync(string source, string target, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void DeleteIfEmpty(string directory)
    {
        try
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // A concurrent publish cannot be here (the lock), so this is only a directory that just got a file again.
        }
    }
}
