using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;

namespace Forgeline.Core.Client;

/// <summary>The typed client of the Forgeline HTTP API (<c>/api/v1</c>); the CLI and workers use nothing else.</summary>
public sealed partial class ForgelineClient : IDisposable
{
    private readonly HttpClient http;

    /// <summary>A client for the server at <paramref name="server"/>, authenticating with <paramref name="token"/> when given.</summary>
    public ForgelineClient(Uri server, string? token, HttpMessageHandler? handler = null)
    {
        http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = server;
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("forgeline", typeof(ForgelineClient).Assembly.GetName().Version?.ToString(3)));
        if (token is { Length: > 0 })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The server this client talks to.</summary>
    public Uri Server => http.BaseAddress!;

    /// <summary>The token this client authenticates with (a worker hands it to dnf for the server's own repositories); null for none.</summary>
    public string? Token => http.DefaultRequestHeaders.Authorization?.Parameter;

    /// <summary>Uploads an SRPM or a directory tarball; the server checks it against <paramref name="sha256"/> and its kind.</summary>
    public async Task<UploadResult> UploadAsync(Stream content, string kind, string fileName, string sha256, CancellationToken cancellationToken = default)
    {
        using var body = new StreamContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var url = $"api/v1/uploads?kind={Uri.EscapeDataString(kind)}&name={Uri.EscapeDataString(fileName)}&sha256={sha256}";
        using var response = await http.PostAsync(url, body, cancellationToken);
        return await ReadAsync<UploadResult>(response, cancellationToken);
    }

    /// <summary>Submits a build.</summary>
    public async Task<BuildDto> SubmitBuildAsync(SubmitBuildRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/builds", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<BuildDto>(response, cancellationToken);
    }

    /// <summary>One build.</summary>
    public async Task<BuildDto> GetBuildAsync(long id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/builds/{id}", cancellationToken);
        return await ReadAsync<BuildDto>(response, cancellationToken);
    }

    /// <summary>Builds, newest first, optionally only those in <paramref name="state"/>.</summary>
    public async Task<BuildPage> ListBuildsAsync(string? state = null, int limit = 50, long? before = null, CancellationToken cancellationToken = default)
    {
        var url = $"api/v1/builds?limit={limit}" + (state is null ? "" : $"&state={Uri.EscapeDataString(state)}") + (before is null ? "" : $"&before={before}");
        using var response = await http.GetAsync(url, cancellationToken);
        return await ReadAsync<BuildPage>(response, cancellationToken);
    }

    /// <summary>Cancels a queued or running build.</summary>
    public async Task<BuildDto> CancelBuildAsync(long id, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"api/v1/builds/{id}/cancel", null, cancellationToken);
        return await ReadAsync<BuildDto>(response, cancellationToken);
    }

    /// <summary>Copies the build log to <paramref name="output"/>; with <paramref name="follow"/>, keeps streaming until the build ends.</summary>
    public async Task StreamLogAsync(long id, bool follow, Stream output, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/builds/{id}/log?follow={(follow ? "true" : "false")}");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
    }

    /// <summary>Downloads an artifact to <paramref name="destination"/> and checks it against its sha256; a mismatch leaves no file.</summary>
    public async Task DownloadArtifactAsync(ArtifactDto artifact, string destination, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(artifact.Url.TrimStart('/'), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await DownloadVerifiedAsync(response, artifact.Sha256, destination, cancellationToken);
    }

    /// <summary>A build's history, oldest first.</summary>
    public async Task<List<BuildEventDto>> GetBuildHistoryAsync(long id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/builds/{id}/history", cancellationToken);
        return await ReadAsync<List<BuildEventDto>>(response, cancellationToken);
    }

    /// <summary>The workers the server knows.</summary>
    public async Task<IReadOnlyList<WorkerDto>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/workers", cancellationToken);
        return await ReadAsync<List<WorkerDto>>(response, cancellationToken);
    }

    private static async Task DownloadVerifiedAsync(HttpResponseMessage response, string sha256, string destination, CancellationToken cancellationToken)
    {
        var partial = destination + ".part";
        try
        {
            await using (var file = File.Create(partial))
            {
                await response.Content.CopyToAsync(file, cancellationToken);
            }

            var actual = await Sha256Hex.OfFileAsync(partial, cancellationToken);
            if (actual != sha256)
            {
                throw new InvalidDataException($"download of {Path.GetFileName(destination)} is corrupt: sha256 {actual}, expected {sha256}");
            }

            File.Move(partial, destination, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(ForgelineJson.Options, cancellationToken)
            ?? throw new ForgelineApiException(response.StatusCode, "empty answer from the server", null);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var title = response.ReasonPhrase ?? response.StatusCode.ToString();
        string? detail = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.TryGetProperty("title", out var t) && t.GetString() is { } titleText)
            {
                title = titleText;
            }

            if (problem.RootElement.TryGetProperty("detail", out var d))
            {
                detail = d.GetString();
            }
        }
        catch (JsonException)
        {
            // Not ProblemDetails (a proxy's page, say): the status line is all we can report.
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized && detail is null)
        {
            detail = "the server did not accept the token; run 'forgeline login' or set FORGELINE_TOKEN";
        }

        throw new ForgelineApiException(response.StatusCode, title, detail);
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();
}
