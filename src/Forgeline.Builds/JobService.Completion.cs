using Forgeline.Builds.Artifacts;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Builds;

/// <summary>What a completion carries besides the outcome (protocol 2): the log's tail and results the server already holds.</summary>
public sealed partial class JobService
{
    /// <summary>Appends the log tail and records stored artifacts of <paramref name="request"/>; a failure when either is refused.</summary>
    private async Task<ServiceResult<BuildState>?> TakeCompletionExtrasAsync(BuildRecord build, CompleteJobRequest request, CancellationToken cancellationToken)
    {
        if (request.LogTail is { Length: > 0 } tail)
        {
            if (request.LogOffset is not { } offset || offset < 0)
            {
                return ServiceResult<BuildState>.Fail(ServiceError.Invalid, "logTail needs logOffset, the log length it follows");
            }

            var appended = logs.Append(build.Id, offset, tail, Options.LogLimitBytes + 64 * 1024);
            if (!appended.IsSuccess)
            {
                return ServiceResult<BuildState>.Fail(appended.Error!.Value, appended.Message!);
            }

            await events.LogAppendedAsync(build.Id, cancellationToken);
        }

        foreach (var artifact in request.StoredArtifacts ?? [])
        {
            if (await RecordStoredArtifactAsync(build, artifact, cancellationToken) is { } problem)
            {
                return ServiceResult<BuildState>.Fail(ServiceError.Invalid, problem);
            }
        }

        return null;
    }

    // Only the build's own source blob may be named: a worker may not attach other blobs of the store to a build.
    private async Task<string?> RecordStoredArtifactAsync(BuildRecord build, StoredArtifact artifact, CancellationToken cancellationToken)
    {
        if (!UploadInspector.ArtifactKinds.Contains(artifact.Kind))
        {
            return $"unknown artifact kind '{artifact.Kind}'; use rpm or srpm";
        }

        if (UploadInspector.FileNameProblem(artifact.Name, artifact.Kind) is { } nameProblem)
        {
            return nameProblem;
        }

        if (artifact.Sha256 != build.Source.Blob || !store.Contains(artifact.Sha256))
        {
            return $"{artifact.Name}: only the build's own source blob can be named by digest; upload other results";
        }

        if (UploadInspector.FindProblem(artifact.Kind, store.PathOf(artifact.Sha256)) is { } problem)
        {
            return $"{artifact.Name}: {problem}";
        }

        await db.Artifacts.Where(a => a.BuildId == build.Id && a.Name == artifact.Name).ExecuteDeleteAsync(cancellationToken);
        db.Artifacts.Add(new ArtifactRecord { BuildId = build.Id, Name = artifact.Name, Kind = artifact.Kind, Sha256 = artifact.Sha256, Size = new FileInfo(store.PathOf(artifact.Sha256)).Length });
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
