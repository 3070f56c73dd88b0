using System.Net.Http.Json;
using Forgeline.Core.Targets;

namespace Forgeline.Core.Client;

/// <summary>Build targets.</summary>
public sealed partial class ForgelineClient
{
    /// <summary>Every build target.</summary>
    public async Task<List<TargetDto>> ListTargetsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/targets", cancellationToken);
        return await ReadAsync<List<TargetDto>>(response, cancellationToken);
    }

    /// <summary>One build target.</summary>
    public async Task<TargetDto> GetTargetAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/targets/{Uri.EscapeDataString(name)}", cancellationToken);
        return await ReadAsync<TargetDto>(response, cancellationToken);
    }

    /// <summary>Makes or replaces a build target (admin).</summary>
    public async Task<TargetDto> PutTargetAsync(string name, PutTargetRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"api/v1/targets/{Uri.EscapeDataString(name)}", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<TargetDto>(response, cancellationToken);
    }

    /// <summary>Deletes a build target no project builds for (admin).</summary>
    public async Task DeleteTargetAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/targets/{Uri.EscapeDataString(name)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }
}
