using System.Net.Http.Json;
using Forgeline.Core.Images;

namespace Forgeline.Core.Client;

/// <summary>Image CI: a project's image definitions and test plans, image builds, test runs.</summary>
public sealed partial class ForgelineClient
{
    /// <summary>Sets an image definition (<paramref name="plan"/> false) or a test plan of a project from its YAML.</summary>
    public async Task<ImageFileDto> SetImageFileAsync(string project, string name, string yaml, bool plan, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"{ProjectPath(project)}/{(plan ? "image-plans" : "images")}/{Uri.EscapeDataString(name)}", new ImageFileRequest(yaml), ForgelineJson.Options, cancellationToken);
        return await ReadAsync<ImageFileDto>(response, cancellationToken);
    }

    /// <summary>A project's image definitions (<paramref name="plans"/> false) or test plans.</summary>
    public async Task<List<ImageFileDto>> ListImageFilesAsync(string project, bool plans, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"{ProjectPath(project)}/{(plans ? "image-plans" : "images")}", cancellationToken);
        return await ReadAsync<List<ImageFileDto>>(response, cancellationToken);
    }

    /// <summary>Deletes an image definition or a test plan.</summary>
    public async Task DeleteImageFileAsync(string project, string name, bool plan, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"{ProjectPath(project)}/{(plan ? "image-plans" : "images")}/{Uri.EscapeDataString(name)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Queues a build of an image.</summary>
    public async Task<ImageBuildDto> BuildImageAsync(string project, string image, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"{ProjectPath(project)}/images/{Uri.EscapeDataString(image)}/builds", new StartImageRequest(), ForgelineJson.Options, cancellationToken);
        return await ReadAsync<ImageBuildDto>(response, cancellationToken);
    }

    /// <summary>One image build.</summary>
    public async Task<ImageBuildDto> GetImageBuildAsync(long id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/image-builds/{id}", cancellationToken);
        return await ReadAsync<ImageBuildDto>(response, cancellationToken);
    }

    /// <summary>A project's image builds, newest first.</summary>
    public async Task<List<ImageBuildDto>> ListImageBuildsAsync(string project, int limit = 20, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"{ProjectPath(project)}/image-builds?limit={limit}", cancellationToken);
        return await ReadAsync<List<ImageBuildDto>>(response, cancellationToken);
    }

    /// <summary>Starts a run of a test plan.</summary>
    public async Task<ImageRunDto> StartImageRunAsync(string project, string plan, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"{ProjectPath(project)}/image-plans/{Uri.EscapeDataString(plan)}/runs", new StartImageRequest(), ForgelineJson.Options, cancellationToken);
        return await ReadAsync<ImageRunDto>(response, cancellationToken);
    }

    /// <summary>One test run with its jobs.</summary>
    public async Task<ImageRunDto> GetImageRunAsync(long id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/image-runs/{id}", cancellationToken);
        return await ReadAsync<ImageRunDto>(response, cancellationToken);
    }

    /// <summary>A project's test runs (of one plan), newest first.</summary>
    public async Task<List<ImageRunDto>> ListImageRunsAsync(string project, string? plan = null, int limit = 20, CancellationToken cancellationToken = default)
    {
        var query = plan is null ? "" : $"&plan={Uri.EscapeDataString(plan)}";
        using var response = await http.GetAsync($"{ProjectPath(project)}/image-runs?limit={limit}{query}", cancellationToken);
        return await ReadAsync<List<ImageRunDto>>(response, cancellationToken);
    }

    private static string ProjectPath(string project) => $"api/v1/projects/{Uri.EscapeDataString(project)}";
}
