using Forgeline.Builds.Artifacts;
using Forgeline.Builds.Logs;
using Forgeline.Builds.Queue;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Builds;

/// <summary>What users do with builds: upload sources, submit, look, cancel.</summary>
public sealed partial class BuildService(
    ForgelineDbContext db,
    ArtifactStore store,
    BuildLogStore logs,
    QueueSignal queueSignal,
    IOptions<BuildsOptions> options,
    TimeProvider time,
    ILogger<BuildService> logger)
{
    private static readonly string[] GitSchemes = ["https", "http", "git", "ssh"];

    /// <summary>Receives an SRPM or directory tarball, checks it and stores it by digest. A bad upload leaves nothing behind.</summary>
    public async Task<ServiceResult<UploadResult>> UploadSourceAsync(Stream content, string kind, string? expectedSha256, CancellationToken cancellationToken)
    {
        if (!UploadInspector.SourceKinds.Contains(kind))
        {
            return ServiceResult<UploadResult>.Fail(ServiceError.Invalid, $"unknown upload kind '{kind}'; use 'srpm' or 'directory'");
        }

        if (expectedSha256 is not null && !Sha256Hex.IsValid(expectedSha256))
        {
            return ServiceResult<UploadResult>.Fail(ServiceError.Invalid, "sha256 must be 64 lower-case hex digits");
        }

        var staged = await store.StageAsync(content, expectedSha256, options.Value.MaxUploadBytes, cancellationToken);
        if (!staged.IsSuccess)
        {
            return ServiceResult<UploadResult>.Fail(staged.Error!.Value, staged.Message!);
        }

        using var blob = staged.Value!;
        if (UploadInspector.FindProblem(kind, blob.Path) is { } problem)
        {
            return ServiceResult<UploadResult>.Fail(ServiceError.Invalid, problem);
        }

        blob.Commit();
        return new UploadResult(blob.Sha256, blob.Size, kind);
    }

    /// <summary>Queues a build of <paramref name="request"/> for <paramref name="owner"/>.</summary>
    public async Task<ServiceResult<BuildDto>> SubmitAsync(string owner, SubmitBuildRequest request, CancellationToken cancellationToken)
    {
        var source = request.Source;
        if (SourceProblem(source) is { } problem)
        {
            return ServiceResult<BuildDto>.Fail(ServiceError.Invalid, problem);
        }

        string? package = null;
        if (source.Kind == SourceKind.Srpm)
        {
            package = UploadInspector.PackageOf(store.PathOf(source.Blob!));
        }

        var arch = string.IsNullOrWhiteSpace(request.Arch) ? options.Value.DefaultArch : request.Arch.Trim();
        var build = new BuildRecord
        {
            State = BuildState.Queued,
            Owner = owner,
            SourceKind = source.Kind,
            SourceBlob = source.Blob,
            SourceFileName = source.FileName is { } name ? Path.GetFileName(name) : null,
            GitUrl = source.Url,
            GitRef = source.Ref,
            SpecPath = source.SpecPath,
            Package = package,
            Arch = arch,
            SubmittedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Builds.Add(build);
        await db.SaveChangesAsync(cancellationToken);
        logs.Reset(build.Id, $"forgeline: build {build.Id} of {source.Describe()} queued for {arch}");
        LogSubmitted(build.Id, owner, source.Kind.ToString());
        queueSignal.Pulse();
        return build.ToDto();
    }

    /// <summary>One build with its artifacts.</summary>
    public async Task<ServiceResult<BuildDto>> GetAsync(long id, CancellationToken cancellationToken)
    {
        var build = await db.Builds.AsNoTracking().Include(b => b.Artifacts).FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        return build is null ? NotFound(id) : build.ToDto();
    }

    /// <summary>Builds, newest first, in pages of <paramref name="limit"/> before id <paramref name="before"/>.</summary>
    public async Task<ServiceResult<BuildPage>> ListAsync(string? state, int limit, long? before, CancellationToken cancellationToken)
    {
        var query = db.Builds.AsNoTracking().Include(b => b.Artifacts).AsQueryable();
        if (state is { Length: > 0 })
        {
            if (!Enum.TryParse<BuildState>(state, ignoreCase: true, out var wanted))
            {
                return ServiceResult<BuildPage>.Fail(ServiceError.Invalid, $"unknown state '{state}'; use queued, running, succeeded, failed or canceled");
            }

            query = query.Where(b => b.State == wanted);
        }

        if (before is { } b)
        {
            query = query.Where(x => x.Id < b);
        }

        limit = Math.Clamp(limit, 1, 500);
        var items = await query.OrderByDescending(x => x.Id).Take(limit + 1).AsSplitQuery().ToListAsync(cancellationToken);
        var next = items.Count > limit ? items[limit - 1].Id : (long?)null;
        return new BuildPage(items.Take(limit).Select(x => x.ToDto()).ToList(), next);
    }

    /// <summary>Cancels a queued build at once, or asks the worker of a running one to stop.</summary>
    public async Task<ServiceResult<BuildDto>> CancelAsync(long id, string who, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var reason = $"canceled by {who}";
        var queued = await db.Builds.Where(b => b.Id == id && b.State == BuildState.Queued).ExecuteUpdateAsync(
            s => s.SetProperty(b => b.State, BuildState.Canceled).SetProperty(b => b.FinishedAt, now).SetProperty(b => b.Reason, reason),
            cancellationToken);
        if (queued == 0)
        {
            var running = await db.Builds.Where(b => b.Id == id && b.State == BuildState.Running).ExecuteUpdateAsync(
                s => s.SetProperty(b => b.CancelRequested, true).SetProperty(b => b.Reason, reason), cancellationToken);
            if (running == 0)
            {
                var build = await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
                return build is null
                    ? NotFound(id)
                    : ServiceResult<BuildDto>.Fail(ServiceError.Conflict, $"build {id} has already ended ({build.State.ToApiName()}); nothing to cancel");
            }
        }

        logs.Notify(id);
        LogCanceled(id, who);
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Opens a stored artifact of a build; null values when the build or file is unknown.</summary>
    public async Task<(ArtifactRecord? Artifact, Stream? Content)> OpenArtifactAsync(long id, string name, CancellationToken cancellationToken)
    {
        var artifact = await db.Artifacts.AsNoTracking().FirstOrDefaultAsync(a => a.BuildId == id && a.Name == name, cancellationToken);
        return artifact is null ? (null, null) : (artifact, store.OpenRead(artifact.Sha256));
    }

    private string? SourceProblem(BuildSource source)
    {
        if (source.SpecPath is { } spec && (spec.StartsWith('/') || spec.Split('/').Contains("..") || !spec.EndsWith(".spec", StringComparison.Ordinal)))
        {
            return $"spec path '{spec}' must be a relative path to a .spec file inside the sources";
        }

        switch (source.Kind)
        {
            case SourceKind.Srpm or SourceKind.Directory:
                if (!Sha256Hex.IsValid(source.Blob))
                {
                    return "source.blob must be the sha256 of an upload (POST /api/v1/uploads first)";
                }

                if (!store.Contains(source.Blob!))
                {
                    return $"no upload with sha256 {source.Blob}; upload the file first";
                }

                return UploadInspector.FindProblem(source.Kind == SourceKind.Srpm ? "srpm" : "directory", store.PathOf(source.Blob!));
            case SourceKind.Git:
                if (!Uri.TryCreate(source.Url, UriKind.Absolute, out var url) || !GitSchemes.Contains(url.Scheme))
                {
                    return $"'{source.Url}' is not a git URL this server clones; use https://, http://, git:// or ssh://";
                }

                if (source.Ref is { } gitRef && (gitRef.StartsWith('-') || gitRef.Any(char.IsWhiteSpace) || gitRef.Contains("..", StringComparison.Ordinal)))
                {
                    return $"'{gitRef}' is not a valid git ref";
                }

                return null;
            default:
                return $"unknown source kind '{source.Kind}'";
        }
    }

    private static ServiceResult<BuildDto> NotFound(long id) =>
        ServiceResult<BuildDto>.Fail(ServiceError.NotFound, $"there is no build {id}; 'forgeline builds list' shows the builds");

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} submitted by {Owner} from {SourceKind}")]
    private partial void LogSubmitted(long buildId, string owner, string sourceKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} canceled by {Who}")]
    private partial void LogCanceled(long buildId, string who);
}
