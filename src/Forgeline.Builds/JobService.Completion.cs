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

        if (request.Root is { } root)
        {
            if (RootReportProblem(build, root) is { } problem)
            {
                return ServiceResult<BuildState>.Fail(ServiceError.Invalid, problem);
            }

            var json = System.Text.Json.JsonSerializer.Serialize(root, Core.ForgelineJson.Options);
            await db.Builds.Where(b => b.Id == build.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.RootReport, json), cancellationToken);
        }

        return null;
    }

    private static string? RootReportProblem(BuildRecord build, JobRootReport root)
    {
        if (build.Target is null)
        {
            return "root: this build has no target, so it has no root to report (it ran on the worker's own toolchain)";
        }

        if (root.Target != build.Target)
        {
            return $"root: the build is for target '{build.Target}', not '{root.Target}'";
        }

        if (!Sha256Hex.IsValid(root.BaseDigest) || !Sha256Hex.IsValid(root.Digest))
        {
            return "root: baseDigest and digest must be sha256 digests (64 lower-case hex digits)";
        }

        var seconds = new[] { root.ResolveSeconds, root.InstallSeconds, root.BuildSeconds ?? 0 };
        return root.Packages < 0 || seconds.Any(s => s < 0 || double.IsNaN(s) || double.IsInfinity(s))
            ? "root: packages and the resolve, install and build seconds must not be negative"
            : null;
    }

    // Only the build's own source blob may be named: a worker may not attach other blobs of the store to a build.
    private async Task<string?> RecordStoredArtifactAsync(BuildRecord build, StoredArtifact artifact, CancellationToken cancellationToken)
    {
        if (!UploadInspector.ArtifactKinds.Contains(artifact.Kind))
        {
            return $"unknown artifact kind '{artifact.Kind}'; use rpm or srpm";
        }

        if (artifact.Kind == JobRootReport.PackagesArtifactKind)
        {
            return $"{artifact.Name}: a root's package list is uploaded, not named by digest";
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
