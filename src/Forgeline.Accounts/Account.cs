using Forgeline.Data.Entities;

namespace Forgeline.Accounts;

/// <summary>A user as the server sees them at this moment: the record, the groups they are in, and whether they are an admin.</summary>
/// <param name="User">The user.</param>
/// <param name="Groups">Names of their groups, sorted.</param>
/// <param name="IsAdmin">Whether they are in the admin group.</param>
public sealed record Account(UserRecord User, IReadOnlyList<string> Groups, bool IsAdmin);
