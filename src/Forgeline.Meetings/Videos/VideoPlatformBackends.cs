using Forgeline.Meetings.Platforms;
using Forgeline.Meetings.Videos.Bilibili;
using Forgeline.Meetings.Videos.YouTube;

namespace Forgeline.Meetings.Videos;

/// <summary>The video platforms Forgeline can publish recordings to.</summary>
public static class VideoPlatformBackends
{
    /// <summary>The settings section the backends' sections are under.</summary>
    public const string Section = "Forgeline:Meetings:Videos";

    /// <summary>Every backend, by <see cref="IVideoPlatformBackend.Name"/>.</summary>
    public static IReadOnlyList<IVideoPlatformBackend> All { get; } = [new YouTubeBackend(), new BilibiliBackend()];

    /// <summary>The backend called <paramref name="name"/> (any case), or null.</summary>
    public static IVideoPlatformBackend? Find(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <see cref="MeetingPlatformBackends.Read"/> for a video backend: the settings of <paramref name="keys"/>, secrets
    /// resolved; throws one <see cref="VideoPlatformException"/> naming every required setting that is missing.
    /// </summary>
    public static Dictionary<string, string> Read(
        Func<string, string?> setting, string section, IEnumerable<string> keys, IEnumerable<string> secretKeys)
    {
        try
        {
            return MeetingPlatformBackends.Read(setting, section, keys, secretKeys);
        }
        catch (MeetingPlatformException e)
        {
            throw new VideoPlatformException(e.Message, e);
        }
    }

    /// <summary>The whole-number setting <paramref name="key"/>, <paramref name="fallback"/> when unset; throws naming it when it is not one.</summary>
    public static long Number(Func<string, string?> setting, string section, string key, long fallback)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return setting(key) switch
        {
            null or "" => fallback,
            var text when long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
            var text => throw new VideoPlatformException($"{section}:{key} is '{text}', not a whole number"),
        };
    }
}
