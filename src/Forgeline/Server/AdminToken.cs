using Forgeline.Core;
using Forgeline.Accounts;
using Forgeline.Web.Auth;

namespace Forgeline.Server;

/// <summary>The first admin token: made at the first start, stored hashed, shown once and written to <c>&lt;data&gt;/admin-token</c> (0600).</summary>
public static class AdminToken
{
    /// <summary>The token's name.</summary>
    public const string Name = "admin";

    /// <summary>Creates the admin token if none exists; returns the secret only when it was created now.</summary>
    public static async Task<string?> EnsureAsync(TokenService tokens, ForgelinePaths paths, CancellationToken cancellationToken)
    {
        if (await tokens.ExistsAsync(Name, cancellationToken))
        {
            return null;
        }

        var (_, secret) = await tokens.CreateAsync(Name, [Scopes.Admin], cancellationToken);
        PrivateFile.WriteAllText(paths.AdminToken, secret + "\n");
        return secret;
    }
}
