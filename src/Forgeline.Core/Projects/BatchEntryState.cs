namespace Forgeline.Core.Projects;

/// <summary>Where one package of a batch is: waiting → building → publishing → succeeded, or failed, blocked, canceled.</summary>
public enum BatchEntryState
{
    /// <summary>Waits for packages it build-requires (or, when configured, for something to provide a missing requirement).</summary>
    Waiting,

    /// <summary>Its build is queued or running.</summary>
    Building,

    /// <summary>Built; its RPMs are being signed and published.</summary>
    Publishing,

    /// <summary>Built and published.</summary>
    Succeeded,

    /// <summary>Its build, signing or publication failed.</summary>
    Failed,

    /// <summary>Not built because a package it needs failed or is blocked.</summary>
    Blocked,

    /// <summary>Canceled by a user.</summary>
    Canceled,
}

/// <summary>Helpers on <see cref="BatchEntryState"/>.</summary>
public static class BatchEntryStates
{
    /// <summary>Whether the entry will not change again.</summary>
    public static bool IsFinal(this BatchEntryState state) => state is BatchEntryState.Succeeded or BatchEntryState.Failed or BatchEntryState.Blocked or BatchEntryState.Canceled;

    /// <summary>The lower-case name used in the API and the UI.</summary>
    public static string ToApiName(this BatchEntryState state) => state.ToString().ToLowerInvariant();
}
