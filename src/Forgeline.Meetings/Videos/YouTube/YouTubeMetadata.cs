using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Forgeline.Meetings.Videos.YouTube;

/// <summary>
/// The <c>video</c> resource sent when an upload starts, within YouTube's documented limits: a title of 1 to 100
/// characters, a description of at most 5,000 bytes, tags of at most 500 characters together, and neither '&lt;' nor
/// '&gt;' in title or description (YouTube refuses them; they become '‹' and '›').
/// </summary>
internal static class YouTubeMetadata
{
    public const int TitleLimit = 100;
    public const int DescriptionByteLimit = 5000;
    public const int TagsLimit = 500;

    /// <summary>The resource for <paramref name="upload"/>; throws when the title is empty.</summary>
    public static JsonObject Video(VideoUpload upload, YouTubeOptions options)
    {
        var title = Clean(upload.Title).Trim();
        if (title.Length == 0)
        {
            throw new VideoPlatformException($"the video for {upload.IdempotencyKey} has no title; YouTube needs one");
        }

        var tags = new JsonArray();
        var used = 0;
        foreach (var tag in upload.Tags.Select(t => Clean(t).Trim()).Where(t => t.Length > 0))
        {
            // YouTube counts a tag with a space as quoted, and the commas between tags.
            var cost = tag.Length + (tag.Contains(' ', StringComparison.Ordinal) ? 2 : 0) + (used > 0 ? 1 : 0);
            if (used + cost > TagsLimit)
            {
                break;
            }

            tags.Add(tag);
            used += cost;
        }

        return new JsonObject
        {
            ["snippet"] = new JsonObject
            {
                ["title"] = VideoText.Shorten(title, TitleLimit),
                ["description"] = ShortenBytes(Clean(upload.Description), DescriptionByteLimit),
                ["tags"] = tags,
                ["categoryId"] = options.CategoryId,
            },
            ["status"] = new JsonObject
            {
                ["privacyStatus"] = options.PrivacyStatus,
                ["selfDeclaredMadeForKids"] = false,
            },
        };
    }

    private static string ShortenBytes(string text, int limit)
    {
        if (Encoding.UTF8.GetByteCount(text) <= limit)
        {
            return text;
        }

        var info = new StringInfo(text);
        var count = info.LengthInTextElements;
        while (count > 0 && Encoding.UTF8.GetByteCount(info.SubstringByTextElements(0, count)) > limit - 3)
        {
            count -= Math.Max(1, count / 20);
        }

        return info.SubstringByTextElements(0, Math.Max(count, 0)) + "…";
    }

    private static string Clean(string text) => text.Replace('<', '‹').Replace('>', '›');
}
