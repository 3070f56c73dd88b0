namespace Forgeline.Core.Images;

/// <summary>Body of <c>PUT /api/v1/projects/{project}/images/{name}</c> and <c>…/image-plans/{name}</c>: the YAML as written.</summary>
/// <param name="Yaml">The image definition or test plan.</param>
public sealed record ImageFileRequest(string Yaml);

/// <summary>An image definition or test plan of a project.</summary>
/// <param name="Project">The project.</param>
/// <param name="Name">Its name.</param>
/// <param name="Yaml">As written.</param>
/// <param name="UpdatedBy">Who set it last.</param>
/// <param name="UpdatedAt">When.</param>
/// <param name="NextRunAt">For a plan: when its schedule starts it next.</param>
/// <param name="BotUrl">
/// For a plan, only in the answer to the call that set it: the URL job the review bot calls on <c>/test image</c>
/// (<c>…/trigger?token=…</c>); the token is shown once, only its digest is kept.
/// </param>
public sealed record ImageFileDto(string Project, string Name, string Yaml, string UpdatedBy, DateTimeOffset UpdatedAt, DateTimeOffset? NextRunAt = null, string? BotUrl = null);

/// <summary>A file of a built image.</summary>
/// <param name="Format"><c>qcow2</c>, <c>raw</c>, <c>rootfs</c>, <c>iso</c>, <c>vmlinux</c> or <c>initrd</c>.</param>
/// <param name="Name">File name.</param>
/// <param name="Sha256">Its digest.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Signature">Detached armored OpenPGP signature made with the project's key (<c>gpg --verify NAME.asc NAME</c>).</param>
public sealed record ImageFileOutput(string Format, string Name, string Sha256, long Size, string? Signature);

/// <summary>One build of an image.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Project">The project.</param>
/// <param name="Image">The image's name.</param>
/// <param name="State"><c>queued</c>, <c>building</c>, <c>succeeded</c> or <c>failed</c>.</param>
/// <param name="BuildId">The farm build (its log: <c>/builds/{id}</c>).</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="Files">What it made, signed (empty until it succeeded).</param>
/// <param name="RequestedBy">Who or what asked for it.</param>
/// <param name="CreatedAt">When it was asked for.</param>
/// <param name="FinishedAt">When it ended.</param>
public sealed record ImageBuildDto(long Id, string Project, string Image, string State, long? BuildId, string? Reason, IReadOnlyList<ImageFileOutput> Files,
    string RequestedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt);

/// <summary>One VM job of a run.</summary>
/// <param name="Name">The job.</param>
/// <param name="Boot"><c>image</c> or the earlier job whose disk it boots.</param>
/// <param name="State"><c>waiting</c>, <c>queued</c>, <c>running</c>, <c>passed</c>, <c>failed</c> or <c>skipped</c>.</param>
/// <param name="BuildId">The farm build running it: its serial log streams live at <c>/builds/{id}</c>.</param>
/// <param name="Reason">Why it failed or was skipped.</param>
/// <param name="Seconds">How long its VM ran.</param>
/// <param name="BaseSha256">The disk it booted.</param>
/// <param name="DiskSha256">The disk it published for later jobs.</param>
/// <param name="Screenshot">The screen at the failure (an artifact name of the build), or null.</param>
/// <param name="JUnit">Its JUnit results (artifact names of the build).</param>
public sealed record ImageJobDto(string Name, string Boot, string State, long? BuildId, string? Reason, double? Seconds, string? BaseSha256, string? DiskSha256,
    string? Screenshot, IReadOnlyList<string> JUnit);

/// <summary>One run of a test plan.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Project">The project.</param>
/// <param name="Plan">The plan.</param>
/// <param name="Trigger"><c>schedule</c>, <c>publication</c>, <c>bot</c> or <c>manual</c>.</param>
/// <param name="RequestedBy">Who or what started it.</param>
/// <param name="State"><c>queued</c>, <c>running</c>, <c>passed</c> or <c>failed</c>.</param>
/// <param name="Reason">Why it failed when no job did (the image did not build).</param>
/// <param name="ImageBuildId">The image build it tests.</param>
/// <param name="Jobs">Its jobs, in plan order.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="FinishedAt">When it ended.</param>
public sealed record ImageRunDto(long Id, string Project, string Plan, string Trigger, string RequestedBy, string State, string? Reason, long? ImageBuildId,
    IReadOnlyList<ImageJobDto> Jobs, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt);

/// <summary>Body of <c>POST /api/v1/projects/{project}/images/{name}/builds</c> and <c>…/image-plans/{name}/runs</c>; empty today.</summary>
public sealed record StartImageRequest;

/// <summary>The matrix page's data: for each plan, its runs of each day (newest last), as EOLE's Jenkins view shows them.</summary>
/// <param name="Days">The days shown (UTC dates, oldest first).</param>
/// <param name="Plans">One row per plan.</param>
public sealed record ImageMatrixDto(IReadOnlyList<DateOnly> Days, IReadOnlyList<ImageMatrixRow> Plans);

/// <summary>One plan's row of the matrix.</summary>
/// <param name="Project">The project.</param>
/// <param name="Plan">The plan.</param>
/// <param name="Cells">The latest run of each day of <see cref="ImageMatrixDto.Days"/>, or null for a day without one.</param>
public sealed record ImageMatrixRow(string Project, string Plan, IReadOnlyList<ImageRunDto?> Cells);
