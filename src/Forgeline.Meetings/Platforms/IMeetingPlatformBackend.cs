namespace Forgeline.Meetings.Platforms;

/// <summary>
/// One kind of meeting platform (a folder under <c>Platforms/</c>): its name in requests and settings, and how to make
/// its client from the settings in <c>Forgeline:Meetings:{Name}</c>. Adding a backend is its folder and one line in
/// <see cref="MeetingPlatformBackends.All"/>.
/// </summary>
public interface IMeetingPlatformBackend
{
    /// <summary>The name in requests, the CLI and settings, e.g. <c>zoom</c>.</summary>
    string Name { get; }

    /// <summary>What people see, e.g. <c>Zoom</c>.</summary>
    string DisplayName { get; }

    /// <summary>
    /// The client configured by <paramref name="setting"/> (a key of the backend's section to its value, null when
    /// unset; secrets may be <c>env:NAME</c> or <c>file:PATH</c>). Throws <see cref="MeetingPlatformException"/>
    /// naming every missing or unreadable setting, never a secret's value.
    /// </summary>
    IMeetingPlatform Create(Func<string, string?> setting, HttpClient http, TimeProvider time);
}
