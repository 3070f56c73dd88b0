using Forgeline.Core;
using Forgeline.Core.Client;

namespace Forgeline.Worker;

/// <summary>
/// Files of a leased job, moved over the server's API under the job's lease. A result the server cannot take for now
/// (its disk is full, it restarts) is sent again with a growing pause, for up to <see cref="Patience"/> or until the job
/// stops, each retry said in the build's log: the built files are not thrown away for a passing fault of the server.
/// </summary>
public sealed class ServerJobTransfer(ForgelineClient client, string leaseId, IBuildLog? log = null, TimeProvider? time = null) : IJobTransfer
{
    /// <summary>How long an upload is retried.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public Task DownloadBlobAsync(string sha256, string destination, CancellationToken cancellationToken) =>
        client.DownloadBlobAsync(sha256, destination, cancellationToken);

    /// <inheritdoc />
    public async Task UploadArtifactAsync(string kind, string path, CancellationToken cancellationToken)
    {
        var sha = await Sha256Hex.OfFileAsync(path, cancellationToken);
        await ServerRetry.RunAsync(
            token => client.UploadArtifactAsync(leaseId, kind, path, sha, token),
            Patience,
            (e, pause) => log?.LineAsync($"the server did not take {Path.GetFileName(path)} ({e.Message}); sending it again in {pause.TotalSeconds:0} s") ?? Task.CompletedTask,
            time ?? TimeProvider.System,
            cancellationToken);
    }
}
