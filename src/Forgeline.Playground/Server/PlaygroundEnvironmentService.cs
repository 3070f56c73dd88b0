using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Playground;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Playground.Images;
using Forgeline.Playground.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Forgeline.Playground.Server;

/// <summary>The playground's environments: named images with their course, who may use them, and their limits.</summary>
public sealed partial class PlaygroundEnvironmentService(ForgelineDbContext db, TimeProvider time, ILogger<PlaygroundEnvironmentService> logger)
{
    /// <summary>The largest course, in bytes of Markdown.</summary>
    public const int MaxCourseBytes = 256 * 1024;

    /// <summary>The largest welcome text.</summary>
    public const int MaxWelcomeBytes = 4 * 1024;

    /// <summary>Every environment, by name.</summary>
    public async Task<List<PlaygroundEnvironmentDto>> ListAsync(CancellationToken cancellationToken) =>
        (await db.PlaygroundEnvironments.AsNoTracking().OrderBy(e => e.Name).ToListAsync(cancellationToken)).Select(ToDto).ToList();

    /// <summary>The environment <paramref name="name"/>, or null.</summary>
    public async Task<PlaygroundEnvironmentDto?> FindAsync(string name, CancellationToken cancellationToken) =>
        await db.PlaygroundEnvironments.AsNoTracking().FirstOrDefaultAsync(e => e.Name == name, cancellationToken) is { } record ? ToDto(record) : null;

    /// <summary>One environment.</summary>
    public async Task<ServiceResult<PlaygroundEnvironmentDto>> GetAsync(string name, CancellationToken cancellationToken) =>
        await FindAsync(name, cancellationToken) is { } environment ? environment : NotFound(name);

    /// <summary>Makes or replaces an environment; running sessions keep the definition they started with.</summary>
    public async Task<ServiceResult<PlaygroundEnvironmentDto>> PutAsync(string name, PlaygroundEnvironmentDefinition? definition, CancellationToken cancellationToken)
    {
        if (FindProblem(name, definition) is { } problem)
        {
            return ServiceResult<PlaygroundEnvironmentDto>.Fail(ServiceError.Invalid, problem);
        }

        var record = await db.PlaygroundEnvironments.FirstOrDefaultAsync(e => e.Name == name, cancellationToken);
        if (record is null)
        {
            record = new PlaygroundEnvironmentRecord { Name = name, Definition = "", ImageDigest = "" };
            db.PlaygroundEnvironments.Add(record);
        }

        record.Definition = JsonSerializer.Serialize(definition, ForgelineJson.Options);
        record.ImageDigest = PlaygroundImageRules.DigestOf(definition!.Image);
        record.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        LogPut(name, record.ImageDigest);
        return ToDto(record);
    }

    /// <summary>Deletes an environment; its running sessions go on until they end.</summary>
    public async Task<ServiceResult<bool>> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (await db.PlaygroundEnvironments.Where(e => e.Name == name).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return ServiceResult<bool>.Fail(ServiceError.NotFound, NotFoundMessage(name));
        }

        LogDeleted(name);
        return true;
    }

    /// <summary>What is wrong with an environment definition, in words, or null.</summary>
    public static string? FindProblem(string name, PlaygroundEnvironmentDefinition? definition)
    {
        if (!ResourceName.IsValid(name))
        {
            return $"'{name}' is not an environment name: {ResourceName.Rule}";
        }

        if (definition?.Image is null)
        {
            return "an environment needs an \"image\": a \"rootfs\", or \"packages\" from \"repositories\"";
        }

        if (definition.Title is { Length: > 200 })
        {
            return "the title is longer than 200 characters";
        }

        if (definition.Welcome is { } welcome && System.Text.Encoding.UTF8.GetByteCount(welcome) > MaxWelcomeBytes)
        {
            return $"the welcome text is larger than {MaxWelcomeBytes / 1024} KiB";
        }

        if (definition.Course is { } course && System.Text.Encoding.UTF8.GetByteCount(course) > MaxCourseBytes)
        {
            return $"the course is larger than {MaxCourseBytes / 1024} KiB";
        }

        if (definition.HomeMegabytes is < 1 or > 1024)
        {
            return "homeMegabytes is 1–1024 (MiB), or absent for no kept home";
        }

        if (definition.Limits is { } limits && LimitsProblem(limits) is { } limitsProblem)
        {
            return limitsProblem;
        }

        if (SessionNetwork.FindProblem(definition.Network) is { } networkProblem)
        {
            return networkProblem;
        }

        return PlaygroundImageRules.FindProblem(definition.Image) is { } imageProblem ? $"the image: {imageProblem}" : null;
    }

    private static string? LimitsProblem(PlaygroundLimits limits) =>
        limits.CpuPercent is < 5 or > 6400 ? "limits.cpuPercent is 5–6400 (percent of one core)"
        : limits.MemoryMegabytes is < 32 or > 65536 ? "limits.memoryMegabytes is 32–65536"
        : limits.Processes is < 8 or > 65536 ? "limits.processes is 8–65536"
        : limits.DiskMegabytes is < 1 or > 65536 ? "limits.diskMegabytes is 1–65536"
        : limits.IdleMinutes is < 1 or > 1440 ? "limits.idleMinutes is 1–1440"
        : limits.MaxMinutes is < 1 or > 1440 ? "limits.maxMinutes is 1–1440"
        : limits.GraceSeconds is < 0 or > 3600 ? "limits.graceSeconds is 0–3600"
        : null;

    private static PlaygroundEnvironmentDto ToDto(PlaygroundEnvironmentRecord record) =>
        new(record.Name, JsonSerializer.Deserialize<PlaygroundEnvironmentDefinition>(record.Definition, ForgelineJson.Options)!, record.ImageDigest, record.UpdatedAt);

    private static ServiceResult<PlaygroundEnvironmentDto> NotFound(string name) => ServiceResult<PlaygroundEnvironmentDto>.Fail(ServiceError.NotFound, NotFoundMessage(name));

    private static string NotFoundMessage(string name) => $"there is no playground environment '{name}'; 'forgeline playground env list' shows them";

    [LoggerMessage(Level = LogLevel.Information, Message = "Playground environment {Environment} put, image {Digest}")]
    private partial void LogPut(string environment, string digest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Playground environment {Environment} deleted")]
    private partial void LogDeleted(string environment);
}
