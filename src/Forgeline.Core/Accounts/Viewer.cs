namespace Forgeline.Core.Accounts;

/// <summary>Who is looking, for what they may see: the names they act as (user, queue owner, groups) and whether they are an admin.</summary>
/// <param name="Names">Every name the viewer acts as; empty for an anonymous visitor.</param>
/// <param name="IsAdmin">Admins see everything.</param>
public sealed record Viewer(IReadOnlyCollection<string> Names, bool IsAdmin)
{
    /// <summary>A visitor who has not signed in.</summary>
    public static readonly Viewer Anonymous = new([], false);
}
