namespace Forgeline.Core.Builds;

/// <summary>The queue as <c>GET /api/v1/queue</c> shows it: per owner, and the builds in the order they would start.</summary>
/// <param name="Total">Queued builds in all.</param>
/// <param name="Owners">Owners with queued or running builds.</param>
/// <param name="Items">Queued builds in planned start order (filtered and limited as asked).</param>
/// <param name="Slots">Build slots of the online, enabled workers.</param>
/// <param name="MeanBuildSeconds">Mean duration of recent builds, the basis of the estimates; null without history.</param>
public sealed record QueueDto(int Total, IReadOnlyList<QueueOwnerDto> Owners, IReadOnlyList<QueuedBuildDto> Items, int Slots, double? MeanBuildSeconds);

/// <summary>One owner's share of the queue.</summary>
/// <param name="Owner">The owner.</param>
/// <param name="Weight">Its relative share of the slots.</param>
/// <param name="Running">Its builds running now.</param>
/// <param name="Queued">Its builds waiting.</param>
/// <param name="NextPosition">Queue position of its next build to start.</param>
public sealed record QueueOwnerDto(string Owner, int Weight, int Running, int Queued, int? NextPosition);

/// <summary>A queued build with its place in the queue.</summary>
/// <param name="Position">1 starts next.</param>
/// <param name="Id">The build.</param>
/// <param name="Owner">Its owner.</param>
/// <param name="Priority">Its priority.</param>
/// <param name="Arch">Its arch.</param>
/// <param name="Labels">Worker labels it needs.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="EstimatedStart">When it should start if builds keep their recent mean duration; null when unknown (no workers or no history).</param>
/// <param name="NotBefore">Retry backoff: it does not start before then.</param>
public sealed record QueuedBuildDto(int Position, long Id, string Owner, BuildPriority Priority, string Arch, IReadOnlyList<string> Labels, DateTimeOffset SubmittedAt, DateTimeOffset? EstimatedStart, DateTimeOffset? NotBefore);

/// <summary>An owner's weight, set by an admin.</summary>
public sealed record OwnerDto(string Name, int Weight);

/// <summary>Body of <c>PUT /api/v1/owners/{name}</c>.</summary>
public sealed record SetOwnerWeightRequest(int Weight);
