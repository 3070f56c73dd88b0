using Forgeline.Core;
using Forgeline.Core.Client;

namespace Forgeline.Worker;

/// <summary>Files of a leased job, moved over the server's API under the job's lease.</summary>
public sealed class ServerJobTransfer(ForgelineClient client, string leaseId) : IJobTransfer
{
    /// <inheritdoc />
    public Task DownloadBlobAsync(string sha256, string destination, CancellationToken cancellationToken) =>
        client.DownloadBlobAsync(sha256, destination, cancellationToken);

    /// <inheritdoc />
    public async Task UploadArtifactAsync(string kind, string path, CancellationToken cancellationToken)
    {
        var sha = await Sha256Hex.OfFileAsync(path, cancellationToken);
        await client.UploadArtifactAsync(leaseId, kind, path, sha, cancellationToken);
    }
}
