using Forgeline.Builds.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forgeline.Meetings.Server;

/// <summary>
/// Runs <see cref="MeetingCoordinatorPass"/> whenever something is booked or reported, and every few seconds anyway
/// (reminders, retries); one replica at a time on PostgreSQL.
/// </summary>
public sealed class MeetingCoordinator(IServiceScopeFactory scopes, MeetingsSignal signal, ILogger<MeetingCoordinator> logger)
    : CoordinatorLoop(scopes, signal, null, logger)
{
    /// <inheritdoc />
    protected override long LockKey => 0x466f7267_4d656574; // "ForgMeet"

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override string Name => "meetings coordinator";

    /// <inheritdoc />
    protected override Task<bool> PassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<MeetingCoordinatorPass>().RunAsync(cancellationToken);
}
