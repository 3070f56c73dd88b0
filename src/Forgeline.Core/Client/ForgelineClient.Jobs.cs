using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Forgeline.Core.Workers;

namespace Forgeline.Core.Client;

/// <summary>The worker side of the API: leases, heartbeats, log lines, artifacts.</summary>
public sealed partial class ForgelineClient
{
    /// <summary>Asks for a job, waiting on the server up to <see cref="LeaseRequest.WaitSeconds"/>; null when none came.</summary>
    public async Task<JobLease?> LeaseAsync(LeaseRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/workers/lease", request, ForgelineJson.Options, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        return await ReadAsync<JobLease>(response, cancellationToken);
    }

    /// <summary>Renews the lease; says whether the user cancelled. Throws with 409 when the lease was lost.</summary>
    public async Task<HeartbeatResult> HeartbeatAsync(string leaseId, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"api/v1/jobs/{leaseId}/heartbeat", null, cancellationToken);
        return await ReadAsync<HeartbeatResult>(response, cancellationToken);
    }

    /// <summary>Appends log bytes at <paramref name="offset"/>; resending the same offset is harmless.</summary>
    public async Task AppendLogAsync(string leaseId, long offset, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        using var body = new ReadOnlyMemoryContent(bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PostAsync($"api/v1/jobs/{leaseId}/log?offset={offset}", body, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Downloads a blob (sources, or an RPM a job builds against) by digest into <paramref name="destination"/>; throws <see cref="InvalidDataException"/> and keeps nothing when the bytes do not match the digest.</summary>
    public async Task DownloadBlobAsync(string sha256, string destination, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/blobs/{sha256}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await DownloadVerifiedAsync(response, sha256, destination, cancellationToken);
    }

    /// <summary>Uploads one artifact of the job; the server checks it against <paramref name="sha256"/>.</summary>
    public async Task UploadArtifactAsync(string leaseId, string kind, string path, string sha256, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        using var body = new StreamContent(file);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var name = Uri.EscapeDataString(Path.GetFileName(path));
        using var response = await http.PutAsync($"api/v1/jobs/{leaseId}/artifacts/{name}?kind={kind}&sha256={sha256}", body, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>
    /// Reports how the job ended; the server accepts it only from the current lease holder. Returns the build's state and,
    /// when <see cref="CompleteJobRequest.Next"/> asked for it and a job was ready, the next lease; null from an older
    /// server that answers without a body.
    /// </summary>
    public async Task<CompleteJobResult?> CompleteAsync(string leaseId, CompleteJobRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"api/v1/jobs/{leaseId}/complete", request, ForgelineJson.Options, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        return await ReadAsync<CompleteJobResult>(response, cancellationToken);
    }

    /// <summary>Hands the job back unfinished (the worker is shutting down); it is queued again at once.</summary>
    public async Task ReleaseAsync(string leaseId, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"api/v1/jobs/{leaseId}/release", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }
}
