namespace Forgeline.Data.Entities;

/// <summary>A row of <c>bot_job_runs</c>: one CI job run for one pull request head (a farm build, or a job triggered by URL).</summary>
public sealed class BotJobRunRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>github, gitee or gitlab.</summary>
    public required string Forge { get; set; }

    /// <summary>owner/name.</summary>
    public required string Repository { get; set; }

    /// <summary>The pull request number, or 0 for a push.</summary>
    public int Number { get; set; }

    /// <summary>The commit it tests.</summary>
    public required string HeadSha { get; set; }

    /// <summary>The job's name; also its status context.</summary>
    public required string Job { get; set; }

    /// <summary>farm or url.</summary>
    public required string Kind { get; set; }

    /// <summary>The farm build, for farm jobs.</summary>
    public long? BuildId { get; set; }

    /// <summary>pending, success, failure or error.</summary>
    public required string State { get; set; }

    /// <summary>Where its log or details are.</summary>
    public string? DetailsUrl { get; set; }

    /// <summary>sha256 (hex) of the token a URL job reports back with.</summary>
    public string? ReportTokenHash { get; set; }

    /// <summary>When it started (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When it ended (UTC).</summary>
    public DateTime? FinishedAt { get; set; }
}
