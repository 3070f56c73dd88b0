using System.Globalization;

namespace Forgeline.Meetings.Videos;

/// <summary>Text fitted to a platform's limits.</summary>
internal static class VideoText
{
    /// <summary><paramref name="text"/> in at most <paramref name="limit"/> characters (text elements), ending in '…' when cut.</summary>
    public static string Shorten(string text, int limit)
    {
        var info = new StringInfo(text);
        return info.LengthInTextElements <= limit ? text : info.SubstringByTextElements(0, limit - 1).TrimEnd() + "…";
    }
}
