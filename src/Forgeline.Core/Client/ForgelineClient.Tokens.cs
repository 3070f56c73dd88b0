using System.Net.Http.Json;
using Forgeline.Core.Tokens;

namespace Forgeline.Core.Client;

/// <summary>Token management and identity.</summary>
public sealed partial class ForgelineClient
{
    /// <summary>The name and scopes of this client's token.</summary>
    public async Task<WhoAmIDto> WhoAmIAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/whoami", cancellationToken);
        return await ReadAsync<WhoAmIDto>(response, cancellationToken);
    }

    /// <summary>Creates a token (admin); the answer holds its secret, shown once.</summary>
    public async Task<CreatedTokenDto> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/tokens", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<CreatedTokenDto>(response, cancellationToken);
    }

    /// <summary>Lists tokens (admin).</summary>
    public async Task<List<TokenDto>> ListTokensAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/tokens", cancellationToken);
        return await ReadAsync<List<TokenDto>>(response, cancellationToken);
    }

    /// <summary>Revokes a token by name (admin).</summary>
    public async Task RevokeTokenAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/tokens/{Uri.EscapeDataString(name)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }
}
