namespace Forgeline.Data.Entities;

/// <summary>A row of <c>image_definitions</c>: an OS image a project describes (YAML), owned by <c>Forgeline.Images.Server</c>.</summary>
public sealed class ImageDefinitionRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The project's name.</summary>
    public required string Project { get; set; }

    /// <summary>The image's name, unique in the project.</summary>
    public required string Name { get; set; }

    /// <summary>The definition as written.</summary>
    public required string Yaml { get; set; }

    /// <summary>Who set it last.</summary>
    public required string UpdatedBy { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A row of <c>image_plans</c>: a test plan of a project (YAML), with its schedule and bot trigger.</summary>
public sealed class ImagePlanRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The project's name.</summary>
    public required string Project { get; set; }

    /// <summary>The plan's name, unique in the project.</summary>
    public required string Name { get; set; }

    /// <summary>The plan as written.</summary>
    public required string Yaml { get; set; }

    /// <summary>When its schedule next starts it (UTC).</summary>
    public DateTime NextRunAt { get; set; }

    /// <summary>sha256 of the secret the review bot's URL job sends (<c>?token=</c>); only the digest is kept.</summary>
    public required string TriggerTokenSha256 { get; set; }

    /// <summary>Who set it last.</summary>
    public required string UpdatedBy { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A row of <c>image_builds</c>: one build of an image definition on the build farm.</summary>
public sealed class ImageBuildRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The project's name.</summary>
    public required string Project { get; set; }

    /// <summary>The image's name.</summary>
    public required string Image { get; set; }

    /// <summary>The definition built (as it was then).</summary>
    public required string Yaml { get; set; }

    /// <summary>The farm build doing it; null until submitted.</summary>
    public long? BuildId { get; set; }

    /// <summary><c>queued</c>, <c>building</c>, <c>succeeded</c> or <c>failed</c>.</summary>
    public required string State { get; set; }

    /// <summary>Why it failed.</summary>
    public string? Reason { get; set; }

    /// <summary>The files, with digests and signatures, as JSON (an array of <c>ImageFileDto</c>).</summary>
    public string? Files { get; set; }

    /// <summary>Who asked for it (a person, <c>schedule</c>, <c>publication</c>, <c>bot</c>).</summary>
    public required string RequestedBy { get; set; }

    /// <summary>When it was asked for (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When it ended (UTC).</summary>
    public DateTime? FinishedAt { get; set; }
}

/// <summary>A row of <c>image_runs</c>: one run of a test plan.</summary>
public sealed class ImageRunRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The project's name.</summary>
    public required string Project { get; set; }

    /// <summary>The plan's name.</summary>
    public required string Plan { get; set; }

    /// <summary>The plan as it was when the run started.</summary>
    public required string Yaml { get; set; }

    /// <summary><c>schedule</c>, <c>publication</c>, <c>bot</c> or <c>manual</c>.</summary>
    public required string Trigger { get; set; }

    /// <summary>Who or what started it (a person, the publication, the pull request).</summary>
    public required string RequestedBy { get; set; }

    /// <summary><c>queued</c>, <c>running</c>, <c>passed</c> or <c>failed</c>.</summary>
    public required string State { get; set; }

    /// <summary>Why it failed, when not a job's fault (the image did not build).</summary>
    public string? Reason { get; set; }

    /// <summary>The image build whose image it tests.</summary>
    public long? ImageBuildId { get; set; }

    /// <summary>For a run the review bot started: where to report the result.</summary>
    public string? ReportUrl { get; set; }

    /// <summary>The bot's token for <see cref="ReportUrl"/> (valid for that one run only).</summary>
    public string? ReportToken { get; set; }

    /// <summary>Whether the final result was reported to the bot.</summary>
    public bool Reported { get; set; }

    /// <summary>When it was started (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When it ended (UTC).</summary>
    public DateTime? FinishedAt { get; set; }
}

/// <summary>A row of <c>image_run_jobs</c>: one VM job of a run.</summary>
public sealed class ImageRunJobRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The run.</summary>
    public long RunId { get; set; }

    /// <summary>Its position in the plan.</summary>
    public int Position { get; set; }

    /// <summary>The job's name.</summary>
    public required string Name { get; set; }

    /// <summary>What it boots: <c>image</c> or an earlier job.</summary>
    public required string Boot { get; set; }

    /// <summary>The farm build running it; null until submitted.</summary>
    public long? BuildId { get; set; }

    /// <summary><c>waiting</c>, <c>queued</c>, <c>passed</c>, <c>failed</c> or <c>skipped</c>.</summary>
    public required string State { get; set; }

    /// <summary>Why it failed or was skipped.</summary>
    public string? Reason { get; set; }

    /// <summary>sha256 of the disk it booted.</summary>
    public string? BaseSha256 { get; set; }

    /// <summary>sha256 of the disk it published (a passed job with <c>publish_disk</c>).</summary>
    public string? DiskSha256 { get; set; }

    /// <summary>The build's screenshot artifact (taken at a failure), or null.</summary>
    public string? Screenshot { get; set; }

    /// <summary>The build's JUnit artifacts, space-separated.</summary>
    public string? JUnit { get; set; }

    /// <summary>When its VM started (UTC).</summary>
    public DateTime? StartedAt { get; set; }

    /// <summary>When it ended (UTC).</summary>
    public DateTime? FinishedAt { get; set; }
}
