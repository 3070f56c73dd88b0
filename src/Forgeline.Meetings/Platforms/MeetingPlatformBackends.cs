using Forgeline.Core;
using Forgeline.Meetings.Platforms.Tencent;
using Forgeline.Meetings.Platforms.WeLink;
using Forgeline.Meetings.Platforms.Zoom;

namespace Forgeline.Meetings.Platforms;

/// <summary>The meeting platforms Forgeline can book on.</summary>
public static class MeetingPlatformBackends
{
    /// <summary>Every backend, by <see cref="IMeetingPlatformBackend.Name"/>.</summary>
    public static IReadOnlyList<IMeetingPlatformBackend> All { get; } = [new ZoomBackend(), new TencentMeetingBackend(), new WeLinkBackend()];

    /// <summary>The backend called <paramref name="name"/> (any case), or null.</summary>
    public static IMeetingPlatformBackend? Find(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The settings of <paramref name="keys"/> read through <paramref name="setting"/>, secrets resolved; throws one
    /// <see cref="MeetingPlatformException"/> naming every required setting that is missing (<paramref name="section"/>
    /// is the settings' section, for the message).
    /// </summary>
    public static Dictionary<string, string> Read(
        Func<string, string?> setting, string section, IEnumerable<string> keys, IEnumerable<string> secretKeys)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var key in keys)
        {
            if (setting(key) is { Length: > 0 } value)
            {
                values[key] = value;
            }
            else
            {
                problems.Add($"{section}:{key} is not set");
            }
        }

        foreach (var key in secretKeys)
        {
            var (secret, problem) = SecretValue.Resolve(setting(key), $"{section}:{key}");
            if (secret is null)
            {
                problems.Add(problem!);
            }
            else
            {
                values[key] = secret;
            }
        }

        return problems.Count == 0 ? values : throw new MeetingPlatformException(string.Join("; ", problems));
    }
}
