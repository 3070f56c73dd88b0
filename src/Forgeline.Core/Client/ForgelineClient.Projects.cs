using System.Net.Http.Json;
using Forgeline.Core.Projects;

namespace Forgeline.Core.Client;

/// <summary>Projects, their packages, batches and repository files.</summary>
public sealed partial class ForgelineClient
{
    /// <summary>Creates a project owned by this token's owner.</summary>
    public async Task<ProjectDto> CreateProjectAsync(CreateProjectRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/projects", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<ProjectDto>(response, cancellationToken);
    }

    /// <summary>The projects this token can see.</summary>
    public async Task<List<ProjectDto>> ListProjectsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/projects", cancellationToken);
        return await ReadAsync<List<ProjectDto>>(response, cancellationToken);
    }

    /// <summary>One project.</summary>
    public async Task<ProjectDto> GetProjectAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/projects/{Uri.EscapeDataString(name)}", cancellationToken);
        return await ReadAsync<ProjectDto>(response, cancellationToken);
    }

    /// <summary>Changes the settings given.</summary>
    public async Task<ProjectDto> EditProjectAsync(string name, EditProjectRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PatchAsJsonAsync($"api/v1/projects/{Uri.EscapeDataString(name)}", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<ProjectDto>(response, cancellationToken);
    }

    /// <summary>Deletes a project and its repositories.</summary>
    public async Task DeleteProjectAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/projects/{Uri.EscapeDataString(name)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Adds a member or changes their role.</summary>
    public async Task<ProjectDto> SetProjectMemberAsync(string project, string principal, string role, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"api/v1/projects/{Uri.EscapeDataString(project)}/members/{Uri.EscapeDataString(principal)}", new SetMemberRequest(role), ForgelineJson.Options, cancellationToken);
        return await ReadAsync<ProjectDto>(response, cancellationToken);
    }

    /// <summary>Removes a member.</summary>
    public async Task<ProjectDto> RemoveProjectMemberAsync(string project, string principal, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/projects/{Uri.EscapeDataString(project)}/members/{Uri.EscapeDataString(principal)}", cancellationToken);
        return await ReadAsync<ProjectDto>(response, cancellationToken);
    }

    /// <summary>Adds a package (or, with <paramref name="replace"/>, changes where an existing one comes from).</summary>
    public async Task<AddPackageResult> AddPackageAsync(string project, AddPackageRequest request, bool replace = false, CancellationToken cancellationToken = default)
    {
        var path = $"api/v1/projects/{Uri.EscapeDataString(project)}/packages";
        using var response = replace
            ? await http.PutAsJsonAsync($"{path}/{Uri.EscapeDataString(request.Name)}", request, ForgelineJson.Options, cancellationToken)
            : await http.PostAsJsonAsync(path, request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<AddPackageResult>(response, cancellationToken);
    }

    /// <summary>The project's packages.</summary>
    public async Task<List<PackageDto>> ListPackagesAsync(string project, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/projects/{Uri.EscapeDataString(project)}/packages", cancellationToken);
        return await ReadAsync<List<PackageDto>>(response, cancellationToken);
    }

    /// <summary>Removes a package.</summary>
    public async Task DeletePackageAsync(string project, string package, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/projects/{Uri.EscapeDataString(project)}/packages/{Uri.EscapeDataString(package)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Builds packages of the project together in dependency order; all of them when none are named.</summary>
    public async Task<BatchDto> BuildProjectAsync(string project, IReadOnlyList<string>? packages, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"api/v1/projects/{Uri.EscapeDataString(project)}/builds", new SubmitProjectBuildRequest(packages), ForgelineJson.Options, cancellationToken);
        return await ReadAsync<BatchDto>(response, cancellationToken);
    }

    /// <summary>One batch of the project.</summary>
    public async Task<BatchDto> GetBatchAsync(string project, long id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/projects/{Uri.EscapeDataString(project)}/builds/{id}", cancellationToken);
        return await ReadAsync<BatchDto>(response, cancellationToken);
    }

    /// <summary>The project's batches, newest first.</summary>
    public async Task<List<BatchDto>> ListBatchesAsync(string project, int limit = 20, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/projects/{Uri.EscapeDataString(project)}/builds?limit={limit}", cancellationToken);
        return await ReadAsync<List<BatchDto>>(response, cancellationToken);
    }

    /// <summary>The text of a chroot's <c>.repo</c> file.</summary>
    public async Task<string> GetRepoFileAsync(string project, string chroot, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"repos/{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(chroot)}.repo", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
