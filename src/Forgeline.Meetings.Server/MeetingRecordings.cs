namespace Forgeline.Meetings.Server;

/// <summary>Fetches reported recordings, stores them as artifacts and publishes them to the video platforms.</summary>
public sealed class MeetingRecordings
{
    /// <summary>A recording waiting to be downloaded.</summary>
    public const string Pending = "pending";

    /// <summary>Processes what is due; true when it did anything.</summary>
    public Task<bool> ProcessDueAsync(CancellationToken cancellationToken) => Task.FromResult(false);
}
