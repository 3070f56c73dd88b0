namespace Forgeline.Worker;

/// <summary>Moves a job's files: its sources and build dependencies from the server, its results to it.</summary>
public interface IJobTransfer
{
    /// <summary>Downloads the blob <paramref name="sha256"/> (sources or a dependency RPM) to <paramref name="destination"/>, verified against its digest.</summary>
    Task DownloadBlobAsync(string sha256, string destination, CancellationToken cancellationToken);

    /// <summary>Uploads one result of the job (<paramref name="kind"/> <c>rpm</c> or <c>srpm</c>).</summary>
    Task UploadArtifactAsync(string kind, string path, CancellationToken cancellationToken);
}
