using System.Text.Json;
using Forgeline.Data.Entities;

namespace Forgeline.Data.Outbox;

/// <summary>
/// Adds CloudEvents to the outbox. Call it before the <c>SaveChanges</c> that saves the change the event describes:
/// both commit together or not at all.
/// </summary>
public static class EventOutbox
{
    /// <summary>The CloudEvent <c>source</c> of build events.</summary>
    public const string BuildsSource = "/forgeline/builds";

    /// <summary>The CloudEvent <c>source</c> of project events.</summary>
    public const string ProjectsSource = "/forgeline/projects";

    /// <summary>The CloudEvent <c>source</c> of repository events.</summary>
    public const string RepositoriesSource = "/forgeline/repositories";

    /// <summary>The CloudEvent <c>source</c> of signer events.</summary>
    public const string SignerSource = "/forgeline/signer";

    /// <summary>The CloudEvent <c>source</c> of review-bot events.</summary>
    public const string BotSource = "/forgeline/bot";

    /// <summary>The CloudEvent <c>source</c> of playground events.</summary>
    public const string PlaygroundSource = "/forgeline/playground";

    /// <summary>The CloudEvent <c>source</c> of meeting events.</summary>
    public const string MeetingsSource = "/forgeline/meetings";

    /// <summary>How <c>data</c> is written: compact camelCase JSON.</summary>
    public static JsonSerializerOptions DataJson { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Adds one event to <paramref name="db"/>'s outbox (saved with the caller's next <c>SaveChanges</c>).</summary>
    public static OutboxEventRecord Add<T>(ForgelineDbContext db, string type, string source, string subject, string? owner, bool isPublic, T data, DateTime time)
    {
        var record = Create(type, source, subject, owner, isPublic, data, time);
        db.Outbox.Add(record);
        return record;
    }

    /// <summary>A new event row with a fresh, time-ordered CloudEvent id.</summary>
    public static OutboxEventRecord Create<T>(string type, string source, string subject, string? owner, bool isPublic, T data, DateTime time)
    {
        // Microseconds, as PostgreSQL keeps them: the event is the same before and after it was stored.
        time = new DateTime(time.Ticks - (time.Ticks % 10), DateTimeKind.Utc);
        return Create(type, source, subject, owner, isPublic, JsonSerializer.Serialize(data, DataJson), time);
    }

    private static OutboxEventRecord Create(string type, string source, string subject, string? owner, bool isPublic, string data, DateTime time) => new()
    {
        EventId = Guid.CreateVersion7(new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))).ToString(),
        Type = type,
        Source = source,
        Subject = subject,
        Time = time,
        Data = data,
        Owner = owner,
        IsPublic = isPublic,
    };
}
