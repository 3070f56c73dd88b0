namespace Forgeline.Core.Builds;

/// <summary>The lifecycle of a build: queued → running → one of the three final states.</summary>
public enum BuildState
{
    /// <summary>Waiting for a worker.</summary>
    Queued,

    /// <summary>Leased by a worker and building.</summary>
    Running,

    /// <summary>Built; artifacts are available.</summary>
    Succeeded,

    /// <summary>Ended without artifacts; <see cref="BuildDto.Reason"/> says why.</summary>
    Failed,

    /// <summary>Cancelled by a user before it finished.</summary>
    Canceled,
}

/// <summary>Helpers on <see cref="BuildState"/>.</summary>
public static class BuildStates
{
    /// <summary>Whether a build in this state will never change again.</summary>
    public static bool IsFinal(this BuildState state) =>
        state is BuildState.Succeeded or BuildState.Failed or BuildState.Canceled;

    /// <summary>The lower-case name used in the API and the UI.</summary>
    public static string ToApiName(this BuildState state) => state.ToString().ToLowerInvariant();
}
