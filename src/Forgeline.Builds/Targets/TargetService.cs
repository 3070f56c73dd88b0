using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Targets;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Forgeline.Builds.Targets;

/// <summary>Build targets: the distributions' repositories a build's clean root is installed from. Made through the API or the settings.</summary>
public sealed partial class TargetService(ForgelineDbContext db, SettingsTargets settings, TimeProvider time, ILogger<TargetService> logger)
{
    /// <summary>Every target, by name.</summary>
    public async Task<List<TargetDto>> ListAsync(CancellationToken cancellationToken)
    {
        var stored = await db.BuildTargets.AsNoTracking().ToListAsync(cancellationToken);
        return stored.Where(t => !settings.All.ContainsKey(t.Name)).Select(FromRecord).Concat(settings.All.Values)
            .OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => t.ToDto()).ToList();
    }

    /// <summary>The target named <paramref name="name"/>, or null. A settings target hides a stored one of the same name.</summary>
    public async Task<BuildTarget?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (settings.All.TryGetValue(name, out var configured))
        {
            return configured;
        }

        var record = await db.BuildTargets.AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        return record is null ? null : FromRecord(record);
    }

    /// <summary>One target.</summary>
    public async Task<ServiceResult<TargetDto>> GetAsync(string name, CancellationToken cancellationToken) =>
        await FindAsync(name, cancellationToken) is { } target ? target.ToDto() : NotFound<TargetDto>(name);

    /// <summary>Makes or replaces a target; settings targets cannot be.</summary>
    public async Task<ServiceResult<TargetDto>> PutAsync(string name, PutTargetRequest request, CancellationToken cancellationToken)
    {
        if (TargetRules.FindProblem(name, request) is { } problem)
        {
            return ServiceResult<TargetDto>.Fail(ServiceError.Invalid, problem);
        }

        if (settings.All.ContainsKey(name))
        {
            return ServiceResult<TargetDto>.Fail(ServiceError.Conflict, SettingsOwned(name, "replaced"));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var target = BuildTarget.Of(name, request, BuildTarget.FromApi, now);
        var record = await db.BuildTargets.FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        if (record is null)
        {
            record = new BuildTargetRecord { Name = name, Arch = "", Repositories = "", BasePackages = "", RpmDbPath = "", ReleaseVersion = "" };
            db.BuildTargets.Add(record);
        }

        record.Arch = target.Arch;
        record.Repositories = JsonSerializer.Serialize(target.Repositories, ForgelineJson.Options);
        record.BasePackages = JsonSerializer.Serialize(target.BasePackages, ForgelineJson.Options);
        record.Macros = target.Macros.Count > 0 ? JsonSerializer.Serialize(target.Macros, ForgelineJson.Options) : null;
        record.DistTag = target.DistTag;
        record.RpmDbPath = target.RpmDbPath;
        record.ReleaseVersion = target.ReleaseVersion;
        record.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        LogPut(name, target.Arch, target.Digest);
        return target.ToDto();
    }

    /// <summary>Deletes a target no project builds for; settings targets cannot be deleted.</summary>
    public async Task<ServiceResult<bool>> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (settings.All.ContainsKey(name))
        {
            return ServiceResult<bool>.Fail(ServiceError.Conflict, SettingsOwned(name, "deleted"));
        }

        if (!await db.BuildTargets.AnyAsync(t => t.Name == name, cancellationToken))
        {
            return NotFound<bool>(name);
        }

        if (await ProjectsUsingAsync(name, cancellationToken) is { Count: > 0 } projects)
        {
            return ServiceResult<bool>.Fail(ServiceError.Conflict,
                $"target '{name}' is still built for by project(s) {string.Join(", ", projects)}; change their targets first ('forgeline project set PROJECT --targets …')");
        }

        await db.BuildTargets.Where(t => t.Name == name).ExecuteDeleteAsync(cancellationToken);
        LogDeleted(name);
        return true;
    }

    /// <summary>The projects that have <paramref name="name"/> among their chroots, by name.</summary>
    public async Task<List<string>> ProjectsUsingAsync(string name, CancellationToken cancellationToken)
    {
        var projects = await db.Projects.AsNoTracking().Where(p => p.Chroots.Contains(name)).Select(p => new { p.Name, p.Chroots }).ToListAsync(cancellationToken);
        return projects.Where(p => p.Chroots.Split(' ').Contains(name)).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
    }

    private static BuildTarget FromRecord(BuildTargetRecord record) => new(
        record.Name,
        record.Arch,
        JsonSerializer.Deserialize<List<TargetRepository>>(record.Repositories, ForgelineJson.Options) ?? [],
        JsonSerializer.Deserialize<List<string>>(record.BasePackages, ForgelineJson.Options) ?? [],
        record.Macros is { } macros ? new SortedDictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(macros, ForgelineJson.Options) ?? [], StringComparer.Ordinal) : new SortedDictionary<string, string>(StringComparer.Ordinal),
        record.DistTag,
        record.RpmDbPath,
        record.ReleaseVersion,
        BuildTarget.FromApi,
        record.UpdatedAt);

    private static string SettingsOwned(string name, string what) =>
        $"target '{name}' comes from the server's settings ({TargetsOptions.Section}:{name}) and cannot be {what} through the API; change the settings and restart";

    private static ServiceResult<T> NotFound<T>(string name) =>
        ServiceResult<T>.Fail(ServiceError.NotFound, $"there is no build target '{name}'; 'forgeline target list' shows them");

    [LoggerMessage(Level = LogLevel.Information, Message = "Build target {Target} put for {Arch}, definition {Digest}")]
    private partial void LogPut(string target, string arch, string digest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build target {Target} deleted")]
    private partial void LogDeleted(string target);
}
