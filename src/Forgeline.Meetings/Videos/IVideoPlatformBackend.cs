namespace Forgeline.Meetings.Videos;

/// <summary>
/// One kind of video platform (a folder under <c>Videos/</c>): its name in settings, and how to make its client from the
/// settings in <c>Forgeline:Meetings:Videos:{DisplayName}</c>. Adding a backend is its folder and one line in
/// <see cref="VideoPlatformBackends.All"/>.
/// </summary>
public interface IVideoPlatformBackend
{
    /// <summary>The name in requests and the CLI, e.g. <c>youtube</c>.</summary>
    string Name { get; }

    /// <summary>What people see and the settings section's last part, e.g. <c>YouTube</c>.</summary>
    string DisplayName { get; }

    /// <summary>
    /// The client configured by <paramref name="setting"/> (a key of the backend's section to its value, null when
    /// unset; secrets may be <c>env:NAME</c> or <c>file:PATH</c>). Throws <see cref="VideoPlatformException"/> naming
    /// every missing or unreadable setting, never a secret's value.
    /// </summary>
    IVideoPlatform Create(Func<string, string?> setting, HttpClient http, TimeProvider time);
}
