using Forgeline.Core.Workers;
using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Accounts;
using Forgeline.Core.MessageCenter;
using Forgeline.Core.Projects;
using Forgeline.Core.Signing;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Projects;

/// <summary>Projects and their members: create, look, edit, delete.</summary>
public sealed partial class ProjectService(
    ForgelineDbContext db,
    ISigningBackend keys,
    ProjectRepositories repositories,
    Builds.Targets.TargetService targets,
    IOptions<ProjectsOptions> options,
    TimeProvider time,
    IPrincipalDirectory principals,
    ILogger<ProjectService> logger)
{
    /// <summary>Makes a project owned by the caller; makes it a signing key of its own unless one is named.</summary>
    public async Task<ServiceResult<ProjectDto>> CreateAsync(ProjectCaller caller, CreateProjectRequest request, CancellationToken cancellationToken)
    {
        var chroots = ChrootsOf(request.Chroots, request.Targets) ?? [options.Value.DefaultChroot];
        var problem = ProjectRules.NameProblem("project", request.Name)
            ?? await ChrootsProblemAsync(request.Chroots, request.Targets, chroots, cancellationToken)
            ?? SettingsProblem(request.DistTag, request.Macros, request.MissingDependencies, request.KeepBuilds);
        if (problem is not null)
        {
            return Fail<ProjectDto>(ServiceError.Invalid, problem);
        }

        if (await db.Projects.AnyAsync(p => p.Name == request.Name, cancellationToken))
        {
            return Fail<ProjectDto>(ServiceError.Conflict, $"project '{request.Name}' already exists");
        }

        string keyName;
        if (request.SigningKey is { Length: > 0 } named)
        {
            if (await KeyProblemAsync(named, caller, cancellationToken) is { } keyProblem)
            {
                return Fail<ProjectDto>(keyProblem.Error, keyProblem.Message);
            }

            keyName = named;
        }
        else
        {
            keyName = $"project-{request.Name}";
            var made = await keys.CreateKeyAsync(new CreateKeyRequest(keyName, "openpgp", options.Value.KeyAlgorithm,
                UserId: $"Forgeline project {request.Name} <{request.Name}@forgeline.invalid>", Purposes: ["rpm", "file"], AllowedSigners: [caller.Token]), cancellationToken);
            if (!made.IsSuccess)
            {
                return Fail<ProjectDto>(made.Error!.Value, $"could not make the project's signing key '{keyName}': {made.Message}; name an existing key with --key");
            }
        }

        var project = new ProjectRecord
        {
            Name = request.Name,
            Owner = caller.Principal,
            Description = request.Description,
            Chroots = string.Join(' ', chroots),
            DistTag = request.DistTag,
            Macros = request.Macros is { Count: > 0 } m ? JsonSerializer.Serialize(m) : null,
            SigningKey = keyName,
            IsPublic = request.IsPublic,
            MissingDependencies = request.MissingDependencies ?? "fail",
            RebuildDependents = request.RebuildDependents,
            KeepBuilds = request.KeepBuilds ?? 2,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Projects.Add(project);
        AddEvent(EventTypes.ProjectCreated, project);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(project.Name, caller.Principal, project.Chroots);
        return await ToDtoAsync(project, cancellationToken);
    }

    /// <summary>The projects the caller may see, by name.</summary>
    public async Task<List<ProjectDto>> ListAsync(ProjectCaller caller, CancellationToken cancellationToken)
    {
        var all = await db.Projects.AsNoTracking().Include(p => p.Members).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var result = new List<ProjectDto>();
        foreach (var project in all.Where(p => ProjectAccess.CanSee(p, caller)))
        {
            result.Add(await ToDtoAsync(project, cancellationToken));
        }

        return result;
    }

    /// <summary>One project; a private one is "not found" to those who may not see it.</summary>
    public async Task<ServiceResult<ProjectDto>> GetAsync(ProjectCaller caller, string name, CancellationToken cancellationToken) =>
        await FindAsync(name, caller, cancellationToken) is { } project ? await ToDtoAsync(project, cancellationToken) : NotFound<ProjectDto>(name);

    /// <summary>Changes the settings given; project admins only.</summary>
    public async Task<ServiceResult<ProjectDto>> EditAsync(ProjectCaller caller, string name, EditProjectRequest request, CancellationToken cancellationToken)
    {
        var found = await AccessAsync(name, caller, ProjectNeed.Administer, cancellationToken, tracked: true);
        if (!found.IsSuccess)
        {
            return Fail<ProjectDto>(found.Error!.Value, found.Message!);
        }

        var project = found.Value!;
        var chroots = ChrootsOf(request.Chroots, request.Targets) ?? project.ChrootList.ToList();
        if ((await ChrootsProblemAsync(request.Chroots, request.Targets, chroots, cancellationToken)
            ?? SettingsProblem(request.DistTag, request.Macros, request.MissingDependencies, request.KeepBuilds)) is { } problem)
        {
            return Fail<ProjectDto>(ServiceError.Invalid, problem);
        }

        if (request.SigningKey is { Length: > 0 } key && key != project.SigningKey && await KeyProblemAsync(key, caller, cancellationToken) is { } keyProblem)
        {
            return Fail<ProjectDto>(keyProblem.Error, keyProblem.Message);
        }

        project.Description = request.Description ?? project.Description;
        project.Chroots = string.Join(' ', chroots);
        project.DistTag = request.DistTag ?? project.DistTag;
        project.Macros = request.Macros is { } macros ? (macros.Count > 0 ? JsonSerializer.Serialize(macros) : null) : project.Macros;
        project.SigningKey = request.SigningKey is { Length: > 0 } k ? k : project.SigningKey;
        project.IsPublic = request.IsPublic ?? project.IsPublic;
        project.MissingDependencies = request.MissingDependencies ?? project.MissingDependencies;
        project.RebuildDependents = request.RebuildDependents ?? project.RebuildDependents;
        project.KeepBuilds = request.KeepBuilds ?? project.KeepBuilds;
        AddEvent(EventTypes.ProjectChanged, project);
        await db.SaveChangesAsync(cancellationToken);
        LogEdited(project.Name, caller.Principal);
        return await ToDtoAsync(project, cancellationToken);
    }

    /// <summary>Deletes the project, its packages, batches and published repositories; its owner or a server admin only.</summary>
    public async Task<ServiceResult<bool>> DeleteAsync(ProjectCaller caller, string name, CancellationToken cancellationToken)
    {
        if (await FindAsync(name, caller, cancellationToken) is not { } project)
        {
            return NotFound<bool>(name);
        }

        if (!caller.IsAdmin && caller.Principal != project.Owner)
        {
            return Fail<bool>(ServiceError.Forbidden, $"only the owner of project '{name}' ({project.Owner}) or a server admin may delete it");
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Projects.Where(p => p.Id == project.Id).ExecuteDeleteAsync(cancellationToken);
            AddEvent(EventTypes.ProjectDeleted, project);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // The rows go first: a crash here leaves files nobody serves, never a served repository without its project.
        repositories.DeleteProjectFiles(project.Name);
        LogDeleted(project.Name, caller.Principal);
        return true;
    }

    // The event about a project: public projects' to everyone, private ones' to their owner (and admins).
    private void AddEvent(string type, ProjectRecord project) =>
        EventOutbox.Add(db, type, EventOutbox.ProjectsSource, $"projects/{project.Name}", project.Owner, project.IsPublic,
            new ProjectEventData(project.Name, project.Owner, project.IsPublic, project.ChrootList, project.Description), time.GetUtcNow().UtcDateTime);

    /// <summary>Adds a member or changes their role; project admins only.</summary>
    public async Task<ServiceResult<ProjectDto>> SetMemberAsync(ProjectCaller caller, string name, string principal, string role, CancellationToken cancellationToken)
    {
        if (!ResourceName.IsValid(principal))
        {
            return Fail<ProjectDto>(ServiceError.Invalid, $"a member is a user or a group: {ResourceName.Rule}");
        }

        if (!ProjectRoles.IsValid(role))
        {
            return Fail<ProjectDto>(ServiceError.Invalid, $"unknown role '{role}'; use {ProjectRoles.Admin} or {ProjectRoles.Builder}");
        }

        var found = await AccessAsync(name, caller, ProjectNeed.Administer, cancellationToken, tracked: true);
        if (!found.IsSuccess)
        {
            return Fail<ProjectDto>(found.Error!.Value, found.Message!);
        }

        // Only a project admin learns whether a name exists: checked after the caller's right to change members.
        if (await principals.KindOfAsync(principal, cancellationToken) == PrincipalKind.Unknown)
        {
            return Fail<ProjectDto>(ServiceError.Invalid,
                $"no user or group named '{principal}'; users appear at their first sign-in (or 'forgeline user create {principal}'), groups with 'forgeline group create {principal}'");
        }

        var project = found.Value!;
        if (project.Members.FirstOrDefault(m => m.Principal == principal) is { } member)
        {
            member.Role = role;
        }
        else
        {
            project.Members.Add(new ProjectMemberRecord { ProjectId = project.Id, Principal = principal, Role = role });
        }

        await db.SaveChangesAsync(cancellationToken);
        LogMember(project.Name, principal, role, caller.Principal);
        return await ToDtoAsync(project, cancellationToken);
    }

    /// <summary>Removes a member; project admins only.</summary>
    public async Task<ServiceResult<ProjectDto>> RemoveMemberAsync(ProjectCaller caller, string name, string principal, CancellationToken cancellationToken)
    {
        var found = await AccessAsync(name, caller, ProjectNeed.Administer, cancellationToken, tracked: true);
        if (!found.IsSuccess)
        {
            return Fail<ProjectDto>(found.Error!.Value, found.Message!);
        }

        var project = found.Value!;
        if (project.Members.FirstOrDefault(m => m.Principal == principal) is not { } member)
        {
            return Fail<ProjectDto>(ServiceError.NotFound, $"'{principal}' is not a member of project '{name}'");
        }

        project.Members.Remove(member);
        await db.SaveChangesAsync(cancellationToken);
        LogMember(project.Name, principal, "removed", caller.Principal);
        return await ToDtoAsync(project, cancellationToken);
    }

    /// <summary>The project if the caller may see it.</summary>
    public async Task<ProjectRecord?> FindAsync(string name, ProjectCaller caller, CancellationToken cancellationToken, bool tracked = false)
    {
        var query = db.Projects.Include(p => p.Members).Where(p => p.Name == name);
        var project = await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(cancellationToken);
        return project is not null && ProjectAccess.CanSee(project, caller) ? project : null;
    }

    /// <summary>The RPMs of <paramref name="project"/>'s repository of <paramref name="chroot"/> as published now (file names and digests in the artifact store).</summary>
    public async Task<List<JobDependency>> PublishedPackagesAsync(ProjectRecord project, string chroot, CancellationToken cancellationToken) =>
        (await db.RepositoryPackages.AsNoTracking().Where(r => r.ProjectId == project.Id && r.Chroot == chroot).OrderBy(r => r.FileName).ToListAsync(cancellationToken))
            .Select(r => new JobDependency(r.FileName, r.Sha256)).ToList();

    /// <summary>
    /// The project if the caller may see it and do what <paramref name="need"/> names: the one place that turns
    /// <see cref="ProjectAccess"/> into "not found" (to those who may not see it) or "not allowed", with what to do.
    /// </summary>
    public async Task<ServiceResult<ProjectRecord>> AccessAsync(string name, ProjectCaller caller, ProjectNeed need, CancellationToken cancellationToken, bool tracked = false)
    {
        if (await FindAsync(name, caller, cancellationToken, tracked) is not { } project)
        {
            return NotFound<ProjectRecord>(name);
        }

        return need switch
        {
            ProjectNeed.Build when !ProjectAccess.CanBuild(project, caller) => Fail<ProjectRecord>(ServiceError.Forbidden,
                $"'{caller.Principal}' may not build in project '{name}'; a project admin can add you with 'forgeline project member add {name} {caller.Principal} builder'"),
            ProjectNeed.Administer when !ProjectAccess.CanAdminister(project, caller) => Fail<ProjectRecord>(ServiceError.Forbidden,
                $"'{caller.Principal}' is not an admin of project '{name}'; its owner is {project.Owner}"),
            _ => project,
        };
    }

    private async Task<(ServiceError Error, string Message)?> KeyProblemAsync(string keyName, ProjectCaller caller, CancellationToken cancellationToken)
    {
        var found = await keys.GetKeyAsync(keyName, cancellationToken);
        if (found.Error == ServiceError.NotFound)
        {
            return (ServiceError.Invalid, $"there is no key '{keyName}'; 'forgeline key list' shows the keys");
        }

        if (!found.IsSuccess)
        {
            return (found.Error!.Value, $"key '{keyName}' cannot be checked: {found.Message}");
        }

        var key = found.Value!;
        var purposes = key.Purposes;
        if (key.Type != "openpgp" || !purposes.Contains("rpm") || !purposes.Contains("file"))
        {
            return (ServiceError.Invalid, $"key '{keyName}' cannot sign a repository: it must be an OpenPGP key for both rpm and file signatures");
        }

        var signers = key.AllowedSigners;
        return caller.IsAdmin || signers.Contains("*") || signers.Contains(caller.Token)
            ? null
            : (ServiceError.Forbidden, $"token '{caller.Token}' may not sign with key '{keyName}', so its projects may not either; an admin can allow it with 'forgeline key allow {keyName} {caller.Token}'");
    }

    // The chroots a request asks for: its targets or its chroots, trimmed; null when it names neither.
    private static List<string>? ChrootsOf(IReadOnlyList<string>? chroots, IReadOnlyList<string>? targets) =>
        (targets is { Count: > 0 } ? targets : chroots) is { Count: > 0 } given ? given.Select(c => c.Trim()).Distinct().ToList() : null;

    // Every target named must exist; a chroot is either distribution-version-arch (the host toolchain) or a target's name.
    private async Task<string?> ChrootsProblemAsync(IReadOnlyList<string>? givenChroots, IReadOnlyList<string>? givenTargets, IReadOnlyList<string> chroots, CancellationToken cancellationToken)
    {
        if (givenChroots is { Count: > 0 } && givenTargets is { Count: > 0 })
        {
            return "give chroots or targets, not both: targets become the project's chroots";
        }

        if (chroots.Count > 16)
        {
            return "at most 16 chroots per project";
        }

        foreach (var chroot in chroots)
        {
            var isTarget = Core.Targets.TargetRules.IsValidName(chroot) && await targets.FindAsync(chroot, cancellationToken) is not null;
            if (givenTargets is { Count: > 0 } && !isTarget)
            {
                return $"there is no build target '{chroot}'; 'forgeline target list' shows them, an admin makes one with 'forgeline target create'";
            }

            if (!isTarget && ProjectRules.ChrootProblem(chroot) is { } problem)
            {
                return problem + ", or the name of a build target ('forgeline target list')";
            }
        }

        return null;
    }

    private static string? SettingsProblem(string? distTag, IReadOnlyDictionary<string, string>? macros, string? missing, int? keep)
    {
        return (distTag is { Length: > 0 } d ? ProjectRules.DistTagProblem(d) : null)
            ?? (macros is not null ? Core.Builds.BuildMacros.FindProblem(macros) : null)
            ?? (macros?.ContainsKey("dist") == true ? "set the dist tag with --dist-tag, not as a macro" : null)
            ?? (missing is not null && !ProjectRules.MissingPolicies.Contains(missing) ? $"missing dependencies policy must be fail or wait, not '{missing}'" : null)
            ?? (keep is < 1 or > 100 ? "keep-builds must be between 1 and 100" : null);
    }

    private async Task<ProjectDto> ToDtoAsync(ProjectRecord project, CancellationToken cancellationToken)
    {
        var published = await db.Repositories.AsNoTracking().Where(r => r.ProjectId == project.Id).ToListAsync(cancellationToken);
        var repos = project.ChrootList.Select(chroot =>
        {
            var state = published.FirstOrDefault(r => r.Chroot == chroot);
            return new RepositoryDto(chroot, ProjectRepositories.UrlOf(project.Name, chroot), state?.Packages ?? 0,
                state?.PublishedAt is { } at ? new DateTimeOffset(at) : null);
        }).ToList();
        return new ProjectDto(project.Name, project.Owner, project.Description, project.ChrootList, project.DistTag,
            project.Macros is { } m ? JsonSerializer.Deserialize<Dictionary<string, string>>(m) : null, project.SigningKey, project.IsPublic,
            project.MissingDependencies, project.RebuildDependents, project.KeepBuilds,
            project.Members.OrderBy(x => x.Principal, StringComparer.Ordinal).Select(x => new ProjectMemberDto(x.Principal, x.Role)).ToList(),
            new DateTimeOffset(project.CreatedAt), repos);
    }

    private static ServiceResult<T> NotFound<T>(string name) =>
        ServiceResult<T>.Fail(ServiceError.NotFound, $"there is no project '{name}' you can see; 'forgeline project list' shows them");

    private static ServiceResult<T> Fail<T>(ServiceError error, string message) => ServiceResult<T>.Fail(error, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project} created by {Principal} for {Chroots}")]
    private partial void LogCreated(string project, string principal, string chroots);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project} edited by {Principal}")]
    private partial void LogEdited(string project, string principal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project} deleted by {Principal}")]
    private partial void LogDeleted(string project, string principal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project}: member {Member} {Role} by {Principal}")]
    private partial void LogMember(string project, string member, string role, string principal);
}
