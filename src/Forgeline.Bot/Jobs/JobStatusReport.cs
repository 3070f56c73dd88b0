namespace Forgeline.Bot.Jobs;

/// <summary>The body a URL-triggered job posts to <c>/api/v1/bot/jobs/{id}/status</c>.</summary>
/// <param name="State">pending, success, failure or error.</param>
/// <param name="Description">One line for people (cut to 140 characters).</param>
/// <param name="Url">Where its log or details are (http or https).</param>
public sealed record JobStatusReport(string? State, string? Description = null, string? Url = null);
