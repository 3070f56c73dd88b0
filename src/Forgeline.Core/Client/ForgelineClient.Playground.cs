using System.Net.Http.Json;
using Forgeline.Core.Playground;

namespace Forgeline.Core.Client;

/// <summary>The playground: environments, sessions, and the reports of playground hosts.</summary>
public sealed partial class ForgelineClient
{
    /// <summary>Every playground environment.</summary>
    public async Task<List<PlaygroundEnvironmentDto>> ListPlaygroundEnvironmentsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/playground/environments", cancellationToken);
        return await ReadAsync<List<PlaygroundEnvironmentDto>>(response, cancellationToken);
    }

    /// <summary>One playground environment.</summary>
    public async Task<PlaygroundEnvironmentDto> GetPlaygroundEnvironmentAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/playground/environments/{Uri.EscapeDataString(name)}", cancellationToken);
        return await ReadAsync<PlaygroundEnvironmentDto>(response, cancellationToken);
    }

    /// <summary>Makes or replaces a playground environment (admin).</summary>
    public async Task<PlaygroundEnvironmentDto> PutPlaygroundEnvironmentAsync(string name, PlaygroundEnvironmentDefinition definition, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"api/v1/playground/environments/{Uri.EscapeDataString(name)}", definition, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<PlaygroundEnvironmentDto>(response, cancellationToken);
    }

    /// <summary>Deletes a playground environment (admin).</summary>
    public async Task DeletePlaygroundEnvironmentAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/playground/environments/{Uri.EscapeDataString(name)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Asks for a session; the answer holds the terminal's WebSocket path.</summary>
    public async Task<PlaygroundSessionDto> StartPlaygroundSessionAsync(string environment, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/playground/sessions", new StartPlaygroundSessionRequest(environment), ForgelineJson.Options, cancellationToken);
        return await ReadAsync<PlaygroundSessionDto>(response, cancellationToken);
    }

    /// <summary>The sessions the caller may see (admins: all, with what each uses).</summary>
    public async Task<List<PlaygroundSessionDto>> ListPlaygroundSessionsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/playground/sessions", cancellationToken);
        return await ReadAsync<List<PlaygroundSessionDto>>(response, cancellationToken);
    }

    /// <summary>Ends a session (its owner or an admin).</summary>
    public async Task EndPlaygroundSessionAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/playground/sessions/{Uri.EscapeDataString(id)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>A playground host's report; returns the ids of the sessions the server knows on it.</summary>
    public async Task<List<string>> ReportPlaygroundHostAsync(string name, PlaygroundHostReport report, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"api/v1/playground/hosts/{Uri.EscapeDataString(name)}", report, ForgelineJson.Options, cancellationToken);
        return (await ReadAsync<PlaygroundHostAnswer>(response, cancellationToken)).Sessions.ToList();
    }
}
