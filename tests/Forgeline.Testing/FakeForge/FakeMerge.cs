namespace Forgeline.Testing;

/// <summary>A merge the fake performed.</summary>
/// <param name="Forge">The forge it was asked on.</param>
/// <param name="Repository">owner/name.</param>
/// <param name="Number">The pull request.</param>
/// <param name="HeadSha">The head commit that was merged.</param>
/// <param name="Method">The forge's word for the merge method (GitHub: merge, squash, rebase).</param>
public sealed record FakeMerge(Forgeline.Bot.Forges.Forge Forge, string Repository, int Number, string HeadSha, string Method);
