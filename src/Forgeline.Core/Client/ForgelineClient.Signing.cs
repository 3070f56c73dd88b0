using System.Net.Http.Json;
using Forgeline.Core.Signing;

namespace Forgeline.Core.Client;

/// <summary>Keys and signing.</summary>
public sealed partial class ForgelineClient
{
    /// <summary>Creates a key inside the signer (admin).</summary>
    public async Task<KeyDto> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/keys", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<KeyDto>(response, cancellationToken);
    }

    /// <summary>Imports an existing private key (admin).</summary>
    public async Task<KeyDto> ImportKeyAsync(ImportKeyRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/keys/import", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<KeyDto>(response, cancellationToken);
    }

    /// <summary>All keys (public parts).</summary>
    public async Task<List<KeyDto>> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/keys", cancellationToken);
        return await ReadAsync<List<KeyDto>>(response, cancellationToken);
    }

    /// <summary>One key (public parts).</summary>
    public async Task<KeyDto> GetKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/keys/{Uri.EscapeDataString(name)}", cancellationToken);
        return await ReadAsync<KeyDto>(response, cancellationToken);
    }

    /// <summary>Enables or disables a key (admin).</summary>
    public async Task<KeyDto> SetKeyEnabledAsync(string name, bool enabled, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"api/v1/keys/{Uri.EscapeDataString(name)}/{(enabled ? "enable" : "disable")}", null, cancellationToken);
        return await ReadAsync<KeyDto>(response, cancellationToken);
    }

    /// <summary>Sets who may sign with a key (admin).</summary>
    public async Task<KeyDto> SetKeySignersAsync(string name, IReadOnlyList<string> signers, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"api/v1/keys/{Uri.EscapeDataString(name)}/signers", new SetSignersRequest(signers), ForgelineJson.Options, cancellationToken);
        return await ReadAsync<KeyDto>(response, cancellationToken);
    }

    /// <summary>Deletes a key for good (admin).</summary>
    public async Task DeleteKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/keys/{Uri.EscapeDataString(name)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Asks the signer to sign a batch of items with a key.</summary>
    public async Task<SignResponse> SignAsync(string key, SignRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"api/v1/keys/{Uri.EscapeDataString(key)}/sign", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<SignResponse>(response, cancellationToken);
    }

    /// <summary>The signature audit trail, newest first.</summary>
    public async Task<List<SignatureLogEntry>> SignatureLogAsync(string? key = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var url = $"api/v1/signatures?limit={limit}" + (key is null ? "" : $"&key={Uri.EscapeDataString(key)}");
        using var response = await http.GetAsync(url, cancellationToken);
        return await ReadAsync<List<SignatureLogEntry>>(response, cancellationToken);
    }
}
