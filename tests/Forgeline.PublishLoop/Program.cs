// Publishes ROOT over and over, alternating between the package sets of two files (lines of "file<TAB>source<TAB>sha256"),
// signing repomd.xml with gpg (GNUPGHOME from the environment). Prints "stage <name>" as each stage is reached and
// "published <generation>" after each publish, so a test can kill -9 it at a moment of its choosing and check what is left.
// Usage: Forgeline.PublishLoop ROOT SET-A SET-B
using System.Diagnostics;
using Forgeline.Repositories;

var publisher = new RepositoryPublisher(args[0], new RepositoryPublisherOptions { GenerationsKept = 2 })
{
    StageHook = stage =>
    {
        Console.WriteLine($"stage {stage}");
        return Task.CompletedTask;
    },
};
List<RepositoryPackage>[] sets = [Read(args[1]), Read(args[2])];
for (var i = 0; ; i++)
{
    var result = await publisher.PublishAsync(sets[i % 2], SignAsync, default);
    Console.WriteLine($"published {result.Generation}");
}

static List<RepositoryPackage> Read(string path) =>
    File.ReadAllLines(path).Select(l => l.Split('\t')).Select(f => new RepositoryPackage(f[0], f[1], f[2])).ToList();

static async Task<string> SignAsync(byte[] data, CancellationToken cancellationToken)
{
    var start = new ProcessStartInfo("gpg", ["--batch", "--detach-sign", "--armor", "--output", "-"])
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        UseShellExecute = false,
    };
    using var gpg = Process.Start(start)!;
    var signature = gpg.StandardOutput.ReadToEndAsync(cancellationToken);
    await gpg.StandardInput.BaseStream.WriteAsync(data, cancellationToken);
    gpg.StandardInput.Close();
    await gpg.WaitForExitAsync(cancellationToken);
    return gpg.ExitCode == 0 ? await signature : throw new InvalidOperationException($"gpg exited {gpg.ExitCode}");
}
