using System.Net.Http.Json;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;

namespace Forgeline.Core.Client;

public sealed partial class ForgelineClient
{
    /// <summary>The queue in the order builds would start, optionally of one owner or arch.</summary>
    public async Task<QueueDto> GetQueueAsync(string? owner = null, string? arch = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        var query = $"api/v1/queue?limit={limit}" + (owner is null ? "" : $"&owner={Uri.EscapeDataString(owner)}") + (arch is null ? "" : $"&arch={Uri.EscapeDataString(arch)}");
        using var response = await http.GetAsync(query, cancellationToken);
        return await ReadAsync<QueueDto>(response, cancellationToken);
    }

    /// <summary>Sets an owner's share of the worker slots (admin).</summary>
    public async Task<OwnerDto> SetOwnerWeightAsync(string owner, int weight, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"api/v1/owners/{Uri.EscapeDataString(owner)}", new SetOwnerWeightRequest(weight), ForgelineJson.Options, cancellationToken);
        return await ReadAsync<OwnerDto>(response, cancellationToken);
    }

    /// <summary>Drains, disables or enables a worker (admin).</summary>
    public async Task<WorkerDto> ApplyWorkerActionAsync(string worker, string action, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"api/v1/workers/{Uri.EscapeDataString(worker)}/{Uri.EscapeDataString(action)}", null, cancellationToken);
        return await ReadAsync<WorkerDto>(response, cancellationToken);
    }
}
