namespace Forgeline.Core.Accounts;

/// <summary>
/// Which names are users and which are groups: the one question other parts ask of accounts before they store a name
/// (a project member, a queue owner, a key's signers), so none of them stores a free string.
/// </summary>
public interface IPrincipalDirectory
{
    /// <summary>Whether <paramref name="name"/> is a user, a group, or nothing known.</summary>
    Task<PrincipalKind> KindOfAsync(string name, CancellationToken cancellationToken);
}

/// <summary>What a principal name refers to.</summary>
public enum PrincipalKind
{
    /// <summary>No user or group has the name.</summary>
    Unknown,

    /// <summary>A user.</summary>
    User,

    /// <summary>A group.</summary>
    Group,
}
