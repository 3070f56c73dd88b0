using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Projects;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Projects;

/// <summary>
/// Turns "build these packages of the project" into a batch: reads the specs, orders the packages by BuildRequires and
/// Provides, reports missing requirements, ambiguous providers and cycles, and records one entry per package and chroot.
/// The coordinator then builds them in that order.
/// </summary>
public sealed partial class BatchPlanner(
    ForgelineDbContext db,
    ProjectService projects,
    SpecFactsReader facts,
    ProjectCoordinatorSignal signal,
    Builds.Targets.TargetService targets,
    IOptions<ProjectsOptions> options,
    TimeProvider time,
    ILogger<BatchPlanner> logger)
{
    /// <summary>Plans and records a batch of <paramref name="request"/>'s packages (all of them when none are named), for a caller who may build.</summary>
    public async Task<ServiceResult<BatchDto>> SubmitAsync(ProjectCaller caller, string projectName, SubmitProjectBuildRequest request, CancellationToken cancellationToken)
    {
        var found = await projects.AccessAsync(projectName, caller, ProjectNeed.Build, cancellationToken);
        if (!found.IsSuccess)
        {
            return ServiceResult<BatchDto>.Fail(found.Error!.Value, found.Message!);
        }

        var reason = request.Packages is { Count: > 0 } named ? $"build of {string.Join(", ", named)}" : "mass rebuild";
        return await PlanAsync(found.Value!, request.Packages, caller.Principal, reason, cancellationToken);
    }

    /// <summary>Plans a batch for <paramref name="project"/> without checking the caller (webhooks, after their signature was checked).</summary>
    public async Task<ServiceResult<BatchDto>> PlanAsync(ProjectRecord project, IReadOnlyList<string>? names, string requestedBy, string reason, CancellationToken cancellationToken)
    {
        var packages = await db.ProjectPackages.Where(p => p.ProjectId == project.Id).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        if (packages.Count == 0)
        {
            return ServiceResult<BatchDto>.Fail(ServiceError.Invalid, $"project '{project.Name}' has no packages yet; add one with 'forgeline project add-package {project.Name} NAME …'");
        }

        var byName = packages.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var selected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in names is { Count: > 0 } ? names : packages.Select(p => p.Name))
        {
            if (!byName.ContainsKey(name))
            {
                return ServiceResult<BatchDto>.Fail(ServiceError.Invalid, $"project '{project.Name}' has no package '{name}'; 'forgeline project show {project.Name}' lists them");
            }

            selected.Add(name);
        }

        // The specs of the packages being built are read again if their sources changed (a git ref may have moved).
        foreach (var name in selected)
        {
            var read = await facts.RefreshAsync(project, byName[name], cancellationToken);
            if (!read.IsSuccess)
            {
                return ServiceResult<BatchDto>.Fail(read.Error!.Value, read.Message!);
            }
        }

        var graph = ProjectGraph.Of(packages, options.Value.BuildrootProvides);
        if (graph.Conflicts.Count > 0)
        {
            return ServiceResult<BatchDto>.Fail(ServiceError.Conflict, $"project '{project.Name}' cannot be ordered: {string.Join("; ", graph.Conflicts.Select(c => c.Message))}");
        }

        if (project.RebuildDependents)
        {
            foreach (var name in selected.ToList())
            {
                selected.UnionWith(graph.DependentsOf(name));
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var batch = new BatchRecord
        {
            ProjectId = project.Id,
            RequestedBy = requestedBy,
            Reason = reason,
            CreatedAt = now,
            Problems = graph.Cycles.Count == 0 ? null
                : string.Join('\n', graph.Cycles.Select(c => $"dependency cycle {c.Description}: its packages are built against each other's previous builds")),
        };
        var published = await db.RepositoryPackages.Where(r => r.ProjectId == project.Id).Select(r => new { r.PackageId, r.Chroot }).Distinct().ToListAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Batches.Add(batch);
        var entries = new Dictionary<(string Package, string Chroot), BatchEntryRecord>();
        foreach (var chroot in project.ChrootList)
        {
            // In a target's root, what no package of the project provides comes from the distribution: dnf on the
            // worker resolves it, and a requirement nothing provides fails that build with dnf's own words.
            var fromTarget = await targets.FindAsync(chroot, cancellationToken) is not null;
            foreach (var name in selected)
            {
                var entry = new BatchEntryRecord
                {
                    ProjectId = project.Id,
                    PackageId = byName[name].Id,
                    Package = name,
                    Chroot = chroot,
                    State = BatchEntryState.Waiting,
                    Level = graph.LevelOf(name),
                    Needs = string.Join(' ', graph.DependsOn(name).Select(d => byName[d].Id)),
                    UpdatedAt = now,
                };
                // Needed packages outside the batch are installed from the project's repository: they must be in it.
                var absent = graph.DependsOn(name).FirstOrDefault(d => !selected.Contains(d) && !published.Contains(new { PackageId = byName[d].Id, Chroot = chroot }));
                var missing = fromTarget ? [] : graph.MissingOf(name);
                if (absent is not null)
                {
                    entry.State = BatchEntryState.Blocked;
                    entry.Reason = $"needs package '{absent}', which has no published build for {chroot}; build it too (forgeline build --project {project.Name} {absent} {name})";
                }
                else if (missing.Count > 0 && project.MissingDependencies == "fail")
                {
                    entry.State = BatchEntryState.Failed;
                    entry.Reason = string.Join("; ", missing.Select(m => $"nothing provides {m} needed by {name}"));
                }
                else if (missing.Count > 0)
                {
                    entry.MissingRequirements = JsonSerializer.Serialize(missing.Select(m => m.ToString()).ToList());
                    entry.Reason = $"waiting for a package that provides {string.Join(", ", missing)}";
                }

                batch.Entries.Add(entry);
                entries[(name, chroot)] = entry;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var ((name, chroot), entry) in entries)
        {
            entry.WaitsFor = string.Join(' ', graph.WaitsFor(name).Where(selected.Contains).Select(d => entries[(d, chroot)].Id));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogPlanned(batch.Id, project.Name, entries.Count, graph.Cycles.Count, reason);
        signal.Wake();
        return BatchMapper.ToDto(batch, project.Name, batch.Entries);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} of project {Project}: {Entries} entries, {Cycles} cycles ({Reason})")]
    private partial void LogPlanned(long batchId, string project, int entries, int cycles, string reason);
}
