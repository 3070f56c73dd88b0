namespace Forgeline.Projects;

/// <summary>Who is asking: the principal projects know (a token's owner), the token, and whether it is a server admin.</summary>
/// <param name="Principal">A token's owner, or its name when it has none.</param>
/// <param name="Token">The token's name (signing keys list the tokens that may use them).</param>
/// <param name="IsAdmin">Holds the server's admin scope: may do anything to any project.</param>
public sealed record ProjectCaller(string Principal, string Token, bool IsAdmin)
{
    /// <summary>Anonymous readers (public projects and repositories only).</summary>
    public static readonly ProjectCaller Anonymous = new("", "", false);
}
