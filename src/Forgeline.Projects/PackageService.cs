using System.Security.Cryptography;
using System.Text.Json;
using Forgeline.Builds;
using Forgeline.Builds.Artifacts;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Projects;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Forgeline.Projects;

/// <summary>The packages of a project: where each comes from, what its spec says, how its latest builds went.</summary>
public sealed partial class PackageService(
    ForgelineDbContext db,
    ProjectService projects,
    BuildService builds,
    SpecFactsReader facts,
    TimeProvider time,
    ILogger<PackageService> logger)
{
    /// <summary>Adds a package; its spec is read (in the sandbox) now, so a spec that cannot be parsed is refused at once.</summary>
    public async Task<ServiceResult<AddPackageResult>> AddAsync(ProjectCaller caller, string projectName, AddPackageRequest request, CancellationToken cancellationToken)
    {
        if ((ProjectRules.NameProblem("package", request.Name) ?? SourceProblem(request)) is { } problem)
        {
            return Fail<AddPackageResult>(ServiceError.Invalid, problem);
        }

        var found = await projects.AccessAsync(projectName, caller, ProjectNeed.Build, cancellationToken);
        if (!found.IsSuccess)
        {
            return Fail<AddPackageResult>(found.Error!.Value, found.Message!);
        }

        var project = found.Value!;
        if (await db.ProjectPackages.AnyAsync(p => p.ProjectId == project.Id && p.Name == request.Name, cancellationToken))
        {
            return Fail<AddPackageResult>(ServiceError.Conflict, $"project '{projectName}' already has a package '{request.Name}'; change its source with 'forgeline project edit-package'");
        }

        var package = new ProjectPackageRecord { ProjectId = project.Id, Name = request.Name, CreatedAt = time.GetUtcNow().UtcDateTime };
        var secret = Apply(package, request);
        if (await ReadFactsAsync(project, package, cancellationToken) is { } factsProblem)
        {
            return Fail<AddPackageResult>(ServiceError.Invalid, factsProblem);
        }

        db.ProjectPackages.Add(package);
        await db.SaveChangesAsync(cancellationToken);
        LogAdded(project.Name, package.Name, package.SourceKind.ToString(), caller.Principal);
        return new AddPackageResult(await ToDtoAsync(project, package, cancellationToken), secret);
    }

    /// <summary>Changes where a package comes from (a new upload, another ref…); its spec is read again.</summary>
    public async Task<ServiceResult<AddPackageResult>> UpdateAsync(ProjectCaller caller, string projectName, AddPackageRequest request, CancellationToken cancellationToken)
    {
        if (SourceProblem(request) is { } problem)
        {
            return Fail<AddPackageResult>(ServiceError.Invalid, problem);
        }

        var found = await projects.AccessAsync(projectName, caller, ProjectNeed.Build, cancellationToken);
        if (!found.IsSuccess)
        {
            return Fail<AddPackageResult>(found.Error!.Value, found.Message!);
        }

        var project = found.Value!;
        if (await db.ProjectPackages.FirstOrDefaultAsync(p => p.ProjectId == project.Id && p.Name == request.Name, cancellationToken) is not { } package)
        {
            return Fail<AddPackageResult>(ServiceError.NotFound, $"project '{projectName}' has no package '{request.Name}'");
        }

        var hadWebhook = package.WebhookSecret is not null;
        var secret = Apply(package, request, package.WebhookSecret);
        if (await ReadFactsAsync(project, package, cancellationToken) is { } factsProblem)
        {
            return Fail<AddPackageResult>(ServiceError.Invalid, factsProblem);
        }

        await db.SaveChangesAsync(cancellationToken);
        LogAdded(project.Name, package.Name, package.SourceKind.ToString(), caller.Principal);
        return new AddPackageResult(await ToDtoAsync(project, package, cancellationToken), hadWebhook ? null : secret);
    }

    /// <summary>Removes a package; its RPMs leave the repositories at their next publication.</summary>
    public async Task<ServiceResult<bool>> DeleteAsync(ProjectCaller caller, string projectName, string packageName, CancellationToken cancellationToken)
    {
        var found = await projects.AccessAsync(projectName, caller, ProjectNeed.Build, cancellationToken);
        if (!found.IsSuccess)
        {
            return Fail<bool>(found.Error!.Value, found.Message!);
        }

        var project = found.Value!;
        if (await db.ProjectPackages.FirstOrDefaultAsync(p => p.ProjectId == project.Id && p.Name == packageName, cancellationToken) is not { } package)
        {
            return Fail<bool>(ServiceError.NotFound, $"project '{projectName}' has no package '{packageName}'");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ProjectPackages.Remove(package);
        await db.SaveChangesAsync(cancellationToken);
        var chroots = await db.RepositoryPackages.Where(r => r.PackageId == package.Id).Select(r => r.Chroot).Distinct().ToListAsync(cancellationToken);
        await db.RepositoryPackages.Where(r => r.PackageId == package.Id).ExecuteDeleteAsync(cancellationToken);
        // Its repositories are published again without it (the coordinator's next pass).
        await RepositoryContent.ChangedAsync(db, project.Id, chroots, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogDeleted(project.Name, packageName, caller.Principal);
        return true;
    }

    /// <summary>The packages of a project with their latest build per chroot.</summary>
    public async Task<ServiceResult<List<PackageDto>>> ListAsync(ProjectCaller caller, string projectName, CancellationToken cancellationToken)
    {
        var found = await projects.AccessAsync(projectName, caller, ProjectNeed.See, cancellationToken);
        if (!found.IsSuccess)
        {
            return Fail<List<PackageDto>>(found.Error!.Value, found.Message!);
        }

        var project = found.Value!;

        var packages = await db.ProjectPackages.AsNoTracking().Where(p => p.ProjectId == project.Id).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var result = new List<PackageDto>();
        foreach (var package in packages)
        {
            result.Add(await ToDtoAsync(project, package, cancellationToken));
        }

        return result;
    }

    private string? SourceProblem(AddPackageRequest request) =>
        builds.SourceProblem(request.Source)
        ?? (request.AutoRebuild && request.Source.Kind != SourceKind.Git ? "only packages from git can rebuild automatically on a push" : null);

    // Copies the source over; returns the webhook secret (made when auto-rebuild is on and there was none).
    private static string? Apply(ProjectPackageRecord package, AddPackageRequest request, string? existingSecret = null)
    {
        var source = request.Source;
        package.SourceKind = source.Kind;
        package.SourceBlob = source.Blob;
        package.SourceFileName = source.FileName is { } name ? Path.GetFileName(name) : null;
        package.GitUrl = source.Url;
        package.GitRef = source.Ref;
        package.SpecPath = source.SpecPath;
        package.AutoRebuild = request.AutoRebuild;
        package.WebhookSecret = request.AutoRebuild ? existingSecret ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) : null;
        package.Facts = null;
        package.FactsFrom = null;
        return package.WebhookSecret;
    }

    // Reads the spec and refuses a package whose binary packages another package of the project already makes.
    private async Task<string?> ReadFactsAsync(ProjectRecord project, ProjectPackageRecord package, CancellationToken cancellationToken)
    {
        var read = await facts.RefreshAsync(project, package, cancellationToken);
        if (!read.IsSuccess)
        {
            return read.Message;
        }

        var names = read.Value!.Packages.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var others = await db.ProjectPackages.AsNoTracking().Where(p => p.ProjectId == project.Id && p.Id != package.Id && p.Facts != null).ToListAsync(cancellationToken);
        foreach (var other in others)
        {
            var clash = SpecFactsReader.Parse(other.Facts)?.Packages.Select(p => p.Name).FirstOrDefault(names.Contains);
            if (clash is not null)
            {
                return $"package '{other.Name}' of project '{project.Name}' already makes binary package '{clash}'; two packages of a project cannot provide the same name";
            }
        }

        return null;
    }

    private async Task<PackageDto> ToDtoAsync(ProjectRecord project, ProjectPackageRecord package, CancellationToken cancellationToken)
    {
        var spec = SpecFactsReader.Parse(package.Facts);
        var latest = new List<PackageBuildDto>();
        foreach (var chroot in project.ChrootList)
        {
            var entry = await db.BatchEntries.AsNoTracking().Where(e => e.PackageId == package.Id && e.Chroot == chroot)
                .OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
            if (entry is not null)
            {
                latest.Add(new PackageBuildDto(chroot, entry.BuildId, entry.State.ToApiName(), entry.Reason, new DateTimeOffset(entry.UpdatedAt)));
            }
        }

        return new PackageDto(package.Name, package.Source, package.AutoRebuild,
            spec is null ? null : (spec.Epoch is { } e ? $"{e}:" : "") + $"{spec.Version}-{spec.Release}",
            spec?.BuildRequires.Select(r => r.ToString()).ToList() ?? [],
            spec?.Packages.Select(p => p.Name).ToList() ?? [],
            latest,
            package.AutoRebuild ? ProjectWebhooks.PathOf(project.Name, package.Name) : null);
    }

    private static ServiceResult<T> Fail<T>(ServiceError error, string message) => ServiceResult<T>.Fail(error, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project}: package {Package} from {SourceKind} set by {Principal}")]
    private partial void LogAdded(string project, string package, string sourceKind, string principal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project}: package {Package} removed by {Principal}")]
    private partial void LogDeleted(string project, string package, string principal);
}
