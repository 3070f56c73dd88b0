using Forgeline.Builds.Coordination;

namespace Forgeline.Meetings.Server;

/// <summary>Wakes the meetings coordinator: a mail to send, a recording to fetch.</summary>
public sealed class MeetingsSignal : WakeSignal;
