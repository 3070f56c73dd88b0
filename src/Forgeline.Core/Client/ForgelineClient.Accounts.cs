using System.Net.Http.Json;
using Forgeline.Core.Accounts;
using Forgeline.Core.Tokens;

namespace Forgeline.Core.Client;

/// <summary>Users, groups and the CLI's browser login.</summary>
public sealed partial class ForgelineClient
{
    /// <summary>Who this client is: name, groups, scopes.</summary>
    public async Task<MeDto> MeAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/me", cancellationToken);
        return await ReadAsync<MeDto>(response, cancellationToken);
    }

    /// <summary>Every user (admin).</summary>
    public async Task<List<UserDto>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/users", cancellationToken);
        return await ReadAsync<List<UserDto>>(response, cancellationToken);
    }

    /// <summary>Makes a user (admin).</summary>
    public async Task<UserDto> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/users", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<UserDto>(response, cancellationToken);
    }

    /// <summary>Disables or enables a user (admin).</summary>
    public async Task SetUserDisabledAsync(string name, bool disabled, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"api/v1/users/{Uri.EscapeDataString(name)}/{(disabled ? "disable" : "enable")}", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Every group with its members.</summary>
    public async Task<List<GroupDto>> ListGroupsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/groups", cancellationToken);
        return await ReadAsync<List<GroupDto>>(response, cancellationToken);
    }

    /// <summary>Makes a group (admin).</summary>
    public async Task<GroupDto> CreateGroupAsync(CreateGroupRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/groups", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<GroupDto>(response, cancellationToken);
    }

    /// <summary>Deletes a group (admin).</summary>
    public async Task DeleteGroupAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/groups/{Uri.EscapeDataString(name)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Adds a user to a group (admin).</summary>
    public async Task AddGroupMemberAsync(string group, string user, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsync($"api/v1/groups/{Uri.EscapeDataString(group)}/members/{Uri.EscapeDataString(user)}", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Removes a user from a group (admin); answers where the membership came from.</summary>
    public async Task<string> RemoveGroupMemberAsync(string group, string user, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/groups/{Uri.EscapeDataString(group)}/members/{Uri.EscapeDataString(user)}", cancellationToken);
        return await ReadAsync<string>(response, cancellationToken);
    }

    /// <summary>Exchanges a browser login's one-time code and PKCE verifier for a personal token (no token needed).</summary>
    public async Task<CreatedTokenDto> ExchangeLoginCodeAsync(LoginCodeExchange request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/login/token", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<CreatedTokenDto>(response, cancellationToken);
    }
}
