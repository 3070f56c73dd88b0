namespace Forgeline.Bot.Plugins.Merge;

/// <summary>Whether a pull request may merge now, and if not, why, in the words its commit status shows.</summary>
/// <param name="Ready">Every rule is met.</param>
/// <param name="Description">"ready to merge", or what is missing (at most 140 characters).</param>
public sealed record MergeVerdict(bool Ready, string Description);
