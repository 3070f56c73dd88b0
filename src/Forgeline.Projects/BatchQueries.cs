using Forgeline.Core;
using Forgeline.Core.Projects;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Projects;

/// <summary>Reads batches: a project's recent ones, or one with all its entries (the dependency graph the UI draws).</summary>
public sealed class BatchQueries(ForgelineDbContext db, ProjectService projects)
{
    /// <summary>The project's batches, newest first.</summary>
    public async Task<ServiceResult<List<BatchDto>>> ListAsync(ProjectCaller caller, string projectName, int limit, CancellationToken cancellationToken)
    {
        var found = await projects.AccessAsync(projectName, caller, ProjectNeed.See, cancellationToken);
        if (!found.IsSuccess)
        {
            return ServiceResult<List<BatchDto>>.Fail(found.Error!.Value, found.Message!);
        }

        var project = found.Value!;

        var batches = await db.Batches.AsNoTracking().Include(b => b.Entries).Where(b => b.ProjectId == project.Id)
            .OrderByDescending(b => b.Id).Take(Math.Clamp(limit, 1, 200)).ToListAsync(cancellationToken);
        return batches.Select(b => BatchMapper.ToDto(b, project.Name, b.Entries)).ToList();
    }

    /// <summary>One batch; the latest when <paramref name="id"/> is null.</summary>
    public async Task<ServiceResult<BatchDto>> GetAsync(ProjectCaller caller, string projectName, long? id, CancellationToken cancellationToken)
    {
        var found = await projects.AccessAsync(projectName, caller, ProjectNeed.See, cancellationToken);
        if (!found.IsSuccess)
        {
            return ServiceResult<BatchDto>.Fail(found.Error!.Value, found.Message!);
        }

        var project = found.Value!;

        var query = db.Batches.AsNoTracking().Include(b => b.Entries).Where(b => b.ProjectId == project.Id);
        var batch = id is { } wanted ? await query.FirstOrDefaultAsync(b => b.Id == wanted, cancellationToken) : await query.OrderByDescending(b => b.Id).FirstOrDefaultAsync(cancellationToken);
        return batch is null
            ? ServiceResult<BatchDto>.Fail(ServiceError.NotFound, id is null ? $"project '{projectName}' has not built anything yet" : $"project '{projectName}' has no batch {id}")
            : BatchMapper.ToDto(batch, project.Name, batch.Entries);
    }
}
