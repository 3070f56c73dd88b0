namespace Forgeline.Bot.Jobs;

/// <summary>A CI job run as the API shows it.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Job">The job's name (its status context is <c>forgeline/&lt;job&gt;</c>).</param>
/// <param name="Repository">owner/name.</param>
/// <param name="Number">The pull request.</param>
/// <param name="HeadSha">The commit it tests.</param>
/// <param name="State">pending, success, failure or error.</param>
/// <param name="DetailsUrl">Where its details are.</param>
public sealed record JobRunView(long Id, string Job, string Repository, int Number, string HeadSha, string State, string? DetailsUrl);
