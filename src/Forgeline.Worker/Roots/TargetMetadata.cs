using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Forgeline.Core.Workers;

namespace Forgeline.Worker.Roots;

/// <summary>
/// The state of a target's repositories, read from their <c>repomd.xml</c> before every build: its digest names the
/// cached base root, so a root is made again as soon as any repository of the target publishes new metadata.
/// </summary>
public static class TargetMetadata
{
    private const int MaxRepomdBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The sha256 of the <c>repomd.xml</c> of each of <paramref name="root"/>'s repositories in <paramref name="layer"/>,
    /// in the lease's order. Repositories on the Forgeline server (paths starting with <c>/</c>) are read from
    /// <paramref name="server"/> with <paramref name="token"/>. Throws <see cref="JobFailedException"/> naming the
    /// repository when one cannot be reached or is not repository metadata. A project's repository that has no
    /// <c>repomd.xml</c> yet (nothing published) has a null digest: the root is made without it.
    /// </summary>
    public static async Task<IReadOnlyList<string?>> ReadAsync(JobRoot root, string layer, HttpClient http, Uri? server, string? token, CancellationToken cancellationToken)
    {
        var digests = new List<string?>();
        foreach (var repository in root.Repositories.Where(r => r.Layer == layer))
        {
            var onServer = repository.Url.StartsWith('/');
            var baseUrl = onServer && server is not null ? new Uri(server, repository.Url).ToString() : repository.Url;
            var url = baseUrl.TrimEnd('/') + "/repodata/repomd.xml";
            var what = layer == JobRepository.TargetLayer ? "the target's repository" : $"the {layer} repository";
            byte[] bytes;
            try
            {
                bytes = await FetchAsync(url, http, onServer ? token : null, cancellationToken);
            }
            catch (Exception e) when (layer == JobRepository.ProjectLayer && e is FileNotFoundException or DirectoryNotFoundException or HttpRequestException { StatusCode: System.Net.HttpStatusCode.NotFound })
            {
                digests.Add(null);
                continue;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException or TaskCanceledException or NotSupportedException or UriFormatException && !cancellationToken.IsCancellationRequested)
            {
                throw new JobFailedException($"{what} '{repository.Id}' cannot be reached: {url}: {e.Message}");
            }

            if (!IsRepomd(bytes))
            {
                throw new JobFailedException($"{what} '{repository.Id}' is corrupt: {url} is not repository metadata (no <repomd> document)");
            }

            digests.Add(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        return digests;
    }

    /// <summary>
    /// The name of the base root: sha256 over everything that decides what it holds (arch, releasever, rpm database
    /// path, base packages, each target repository's id, URL, key and metadata digest).
    /// </summary>
    public static string BaseKey(JobRoot root, IReadOnlyList<string?> repomdDigests)
    {
        var text = new StringBuilder("forgeline-base-root 1\n");
        text.Append("arch ").Append(root.Arch).Append('\n');
        text.Append("releasever ").Append(root.ReleaseVersion).Append('\n');
        text.Append("rpmdb ").Append(root.RpmDbPath).Append('\n');
        foreach (var package in root.BasePackages)
        {
            text.Append("base ").Append(package).Append('\n');
        }

        var targets = root.Repositories.Where(r => r.Layer == JobRepository.TargetLayer).ToList();
        for (var i = 0; i < targets.Count; i++)
        {
            var key = targets[i].GpgKey is { } armored ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(armored))) : "-";
            text.Append("repo ").Append(targets[i].Id).Append(' ').Append(targets[i].Url).Append(' ').Append(key).Append(targets[i].SignedMetadata ? " signed " : " unsigned ").Append(repomdDigests[i]).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The name of a cached BuildRequires layer: everything its content depends on — the base root under it, the other
    /// repositories' metadata, the RPMs the job brought (by digest) and the BuildRequires themselves.
    /// </summary>
    public static string LayerKey(string baseKey, JobRoot root, IReadOnlyList<string?> projectDigests, IReadOnlyList<JobDependency>? jobDependencies, IReadOnlyList<string> buildRequires)
    {
        var text = new StringBuilder("forgeline-buildrequires-layer 1\n").Append("base ").Append(baseKey).Append('\n');
        var projects = root.Repositories.Where(r => r.Layer != JobRepository.TargetLayer).ToList();
        for (var i = 0; i < projects.Count; i++)
        {
            var key = projects[i].GpgKey is { } armored ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(armored))) : "-";
            text.Append("repo ").Append(projects[i].Id).Append(' ').Append(projects[i].Url).Append(' ').Append(key).Append(' ').Append(projectDigests[i]).Append('\n');
        }

        foreach (var dependency in (jobDependencies ?? []).OrderBy(d => d.Sha256, StringComparer.Ordinal))
        {
            text.Append("rpm ").Append(dependency.Sha256).Append('\n');
        }

        foreach (var requirement in buildRequires.Order(StringComparer.Ordinal))
        {
            text.Append("requires ").Append(requirement).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static async Task<byte[]> FetchAsync(string url, HttpClient http, string? token, CancellationToken cancellationToken)
    {
        var uri = new Uri(url);
        if (uri.IsFile)
        {
            var info = new FileInfo(uri.LocalPath);
            if (info.Exists && info.Length > MaxRepomdBytes)
            {
                throw new IOException($"repomd.xml is {info.Length} bytes, more than any repository's");
            }

            return await File.ReadAllBytesAsync(uri.LocalPath, cancellationToken);
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            throw new NotSupportedException($"'{uri.Scheme}' repositories are not supported; use http, https or file");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("forgeline:" + token)));
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > MaxRepomdBytes)
        {
            throw new IOException($"repomd.xml is {response.Content.Headers.ContentLength} bytes, more than any repository's");
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        return bytes.Length <= MaxRepomdBytes ? bytes : throw new IOException("repomd.xml is larger than any repository's");
    }

    private static bool IsRepomd(byte[] bytes)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            reader.MoveToContent();
            if (reader.LocalName != "repomd")
            {
                return false;
            }

            while (reader.Read())
            {
            }

            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
