using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Forges;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Forgeline.Projects;

/// <summary>
/// Push webhooks from a forge that rebuild a git package when its ref moves. The delivery must prove it knows the
/// package's secret: GitHub's <c>X-Hub-Signature-256</c> HMAC, GitLab's <c>X-Gitlab-Token</c>, or Gitee's
/// <c>X-Gitee-Token</c> (password, or signature with <c>X-Gitee-Timestamp</c>); every comparison takes constant time.
/// </summary>
public sealed partial class ProjectWebhooks(ForgelineDbContext db, BatchPlanner planner, ILogger<ProjectWebhooks> logger)
{
    /// <summary>What a delivery led to.</summary>
    /// <param name="Queued">Whether a build was planned.</param>
    /// <param name="Message">For the forge's delivery log.</param>
    /// <param name="Batch">The batch planned, if any.</param>
    public sealed record Outcome(bool Queued, string Message, long? Batch = null);

    /// <summary>The URL path a forge posts pushes of a package to.</summary>
    public static string PathOf(string project, string package) => $"/api/v1/projects/{project}/packages/{package}/webhook";

    /// <summary>Checks a delivery and plans a rebuild when it is a push to the package's ref.</summary>
    /// <param name="project">The project in the URL.</param>
    /// <param name="package">The package in the URL.</param>
    /// <param name="header">The request's headers, by name (case-insensitive).</param>
    /// <param name="body">The raw body, exactly as signed.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<ServiceResult<Outcome>> DeliverAsync(string project, string package, Func<string, string?> header, byte[] body, CancellationToken cancellationToken)
    {
        var record = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Name == project, cancellationToken);
        var target = record is null ? null : await db.ProjectPackages.AsNoTracking().FirstOrDefaultAsync(p => p.ProjectId == record.Id && p.Name == package, cancellationToken);
        if (record is null || target?.WebhookSecret is not { } secret)
        {
            return ServiceResult<Outcome>.Fail(ServiceError.NotFound, $"no package '{package}' with a webhook in project '{project}'");
        }

        if (!WebhookSignature.Authentic(secret, header, body))
        {
            LogRejected(project, package);
            return ServiceResult<Outcome>.Fail(ServiceError.Unauthorized, "the delivery's signature or token does not match the package's webhook secret");
        }

        Push? push;
        try
        {
            push = Push.Read(body);
        }
        catch (JsonException e)
        {
            return ServiceResult<Outcome>.Fail(ServiceError.Invalid, $"the body is not a JSON push event: {e.Message}");
        }

        if (push is null)
        {
            return new Outcome(false, "not a push event; nothing to do");
        }

        var wanted = target.GitRef is { Length: > 0 } r ? r : push.DefaultBranch;
        if (wanted is null || (push.Ref != wanted && push.Ref != $"refs/heads/{wanted}" && push.Ref != $"refs/tags/{wanted}"))
        {
            return new Outcome(false, $"push to {push.Ref}; package '{package}' follows {wanted ?? "the default branch"}, nothing to do");
        }

        if (push.After is { } after && after.All(c => c == '0'))
        {
            return new Outcome(false, $"{push.Ref} was deleted; nothing to build");
        }

        var reason = $"push of {push.After?[..Math.Min(12, push.After.Length)] ?? "a commit"} to {push.Ref}";
        var planned = await planner.PlanAsync(record, [package], "webhook", reason, cancellationToken);
        if (!planned.IsSuccess)
        {
            return ServiceResult<Outcome>.Fail(planned.Error!.Value, planned.Message!);
        }

        LogQueued(project, package, reason, planned.Value!.Id);
        return new Outcome(true, $"batch {planned.Value!.Id} planned for the {reason}", planned.Value!.Id);
    }

    private sealed record Push(string Ref, string? After, string? DefaultBranch)
    {
        public static Push? Read(byte[] body)
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ref", out var refElement) || refElement.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var repository = root.TryGetProperty("repository", out var repo) ? repo : root.TryGetProperty("project", out var proj) ? proj : default;
            return new Push(refElement.GetString()!, Text(root, "after"), Text(repository, "default_branch"));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery for {Project}/{Package} rejected: bad or missing signature")]
    private partial void LogRejected(string project, string package);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook for {Project}/{Package}: {Reason}, batch {BatchId}")]
    private partial void LogQueued(string project, string package, string reason, long batchId);
}
