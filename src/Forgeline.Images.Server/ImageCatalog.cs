using System.Security.Cryptography;
using Forgeline.Core;
using Forgeline.Core.Images;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Images.Definitions;
using Forgeline.Images.Plans;
using Forgeline.Projects;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Images.Server;

/// <summary>
/// The image definitions and test plans of projects: set (checked; builders of the project may), read (whoever may see
/// the project), delete. Setting a plan gives it a new bot trigger token, shown once.
/// </summary>
public sealed class ImageCatalog(ForgelineDbContext db, ProjectService projects, TimeProvider time, ImagesSignal signal)
{
    /// <summary>Checks and stores the definition <paramref name="name"/> of <paramref name="project"/>.</summary>
    public async Task<ServiceResult<ImageFileDto>> SetDefinitionAsync(ProjectCaller caller, string project, string name, string yaml, CancellationToken cancellationToken)
    {
        var access = await projects.AccessAsync(project, caller, ProjectNeed.Build, cancellationToken);
        if (!access.IsSuccess)
        {
            return ServiceResult<ImageFileDto>.Fail(access.Error!.Value, access.Message!);
        }

        ImageDefinition definition;
        try
        {
            definition = ImageDefinitionReader.Read(yaml, $"image {name}");
        }
        catch (ImageDefinitionException e)
        {
            return ServiceResult<ImageFileDto>.Fail(ServiceError.Invalid, e.Message);
        }

        if (definition.Name != name)
        {
            return ServiceResult<ImageFileDto>.Fail(ServiceError.Invalid, $"the definition is named '{definition.Name}', not '{name}'");
        }

        foreach (var repository in definition.Repositories.Where(r => r.Project is not null))
        {
            if (await projects.FindAsync(repository.Project!, caller, cancellationToken) is not { } other)
            {
                return ServiceResult<ImageFileDto>.Fail(ServiceError.Invalid, $"repository of project '{repository.Project}': there is no such project you may see");
            }

            if (repository.Chroot is { } chroot && !other.ChrootList.Contains(chroot))
            {
                return ServiceResult<ImageFileDto>.Fail(ServiceError.Invalid, $"project '{other.Name}' has no chroot '{chroot}'; it has {string.Join(", ", other.ChrootList)}");
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.ImageDefinitions.FirstOrDefaultAsync(d => d.Project == project && d.Name == name, cancellationToken);
        if (row is null)
        {
            row = new ImageDefinitionRecord { Project = project, Name = name, Yaml = yaml, UpdatedBy = caller.Principal };
            db.ImageDefinitions.Add(row);
        }

        row.Yaml = yaml;
        row.UpdatedBy = caller.Principal;
        row.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(row);
    }

    /// <summary>Checks and stores the test plan <paramref name="name"/>; the answer holds its new bot trigger URL.</summary>
    public async Task<ServiceResult<ImageFileDto>> SetPlanAsync(ProjectCaller caller, string project, string name, string yaml, CancellationToken cancellationToken)
    {
        var access = await projects.AccessAsync(project, caller, ProjectNeed.Build, cancellationToken);
        if (!access.IsSuccess)
        {
            return ServiceResult<ImageFileDto>.Fail(access.Error!.Value, access.Message!);
        }

        TestPlan plan;
        try
        {
            plan = TestPlanReader.Read(yaml, $"plan {name}");
        }
        catch (TestPlanException e)
        {
            return ServiceResult<ImageFileDto>.Fail(ServiceError.Invalid, e.Message);
        }

        if (plan.Name != name)
        {
            return ServiceResult<ImageFileDto>.Fail(ServiceError.Invalid, $"the plan is named '{plan.Name}', not '{name}'");
        }

        if (!await db.ImageDefinitions.AnyAsync(d => d.Project == project && d.Name == plan.Image, cancellationToken))
        {
            return ServiceResult<ImageFileDto>.Fail(ServiceError.Invalid, $"project '{project}' has no image '{plan.Image}'; set it first with 'forgeline image set {project} FILE.yaml'");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var row = await db.ImagePlans.FirstOrDefaultAsync(p => p.Project == project && p.Name == name, cancellationToken);
        if (row is null)
        {
            row = new ImagePlanRecord { Project = project, Name = name, Yaml = yaml, TriggerTokenSha256 = "", UpdatedBy = caller.Principal };
            db.ImagePlans.Add(row);
        }

        row.Yaml = yaml;
        row.TriggerTokenSha256 = Sha256Hex.OfText(token);
        row.NextRunAt = TestPlanReader.NextRun(plan, now) ?? DateTime.MaxValue;
        row.UpdatedBy = caller.Principal;
        row.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return ToDto(row) with { BotUrl = $"/api/v1/projects/{project}/image-plans/{name}/trigger?token={token}" };
    }

    /// <summary>The definitions (<paramref name="plans"/> false) or plans of a project the caller may see.</summary>
    public async Task<ServiceResult<List<ImageFileDto>>> ListAsync(ProjectCaller caller, string project, bool plans, CancellationToken cancellationToken)
    {
        var access = await projects.AccessAsync(project, caller, ProjectNeed.See, cancellationToken);
        if (!access.IsSuccess)
        {
            return ServiceResult<List<ImageFileDto>>.Fail(access.Error!.Value, access.Message!);
        }

        return plans
            ? (await db.ImagePlans.AsNoTracking().Where(p => p.Project == project).OrderBy(p => p.Name).ToListAsync(cancellationToken)).Select(ToDto).ToList()
            : (await db.ImageDefinitions.AsNoTracking().Where(d => d.Project == project).OrderBy(d => d.Name).ToListAsync(cancellationToken)).Select(ToDto).ToList();
    }

    /// <summary>Deletes a definition (none of the project's plans may use it) or a plan; its builds and runs stay.</summary>
    public async Task<ServiceResult<bool>> DeleteAsync(ProjectCaller caller, string project, string name, bool plan, CancellationToken cancellationToken)
    {
        var access = await projects.AccessAsync(project, caller, ProjectNeed.Build, cancellationToken);
        if (!access.IsSuccess)
        {
            return ServiceResult<bool>.Fail(access.Error!.Value, access.Message!);
        }

        if (plan)
        {
            var deleted = await db.ImagePlans.Where(p => p.Project == project && p.Name == name).ExecuteDeleteAsync(cancellationToken);
            return deleted > 0 ? true : ServiceResult<bool>.Fail(ServiceError.NotFound, $"project '{project}' has no test plan '{name}'");
        }

        var users = (await db.ImagePlans.AsNoTracking().Where(p => p.Project == project).ToListAsync(cancellationToken))
            .Where(p => ImageQueries.ReadPlan(p.Yaml)?.Image == name).Select(p => p.Name).ToList();
        if (users.Count > 0)
        {
            return ServiceResult<bool>.Fail(ServiceError.Conflict, $"image '{name}' is tested by plan {string.Join(", ", users)}; delete or change those first");
        }

        var gone = await db.ImageDefinitions.Where(d => d.Project == project && d.Name == name).ExecuteDeleteAsync(cancellationToken);
        return gone > 0 ? true : ServiceResult<bool>.Fail(ServiceError.NotFound, $"project '{project}' has no image '{name}'");
    }

    private static ImageFileDto ToDto(ImageDefinitionRecord d) => new(d.Project, d.Name, d.Yaml, d.UpdatedBy, ImageQueries.Utc(d.UpdatedAt));

    private static ImageFileDto ToDto(ImagePlanRecord p) =>
        new(p.Project, p.Name, p.Yaml, p.UpdatedBy, ImageQueries.Utc(p.UpdatedAt), p.NextRunAt == DateTime.MaxValue ? null : ImageQueries.Utc(p.NextRunAt));
}
