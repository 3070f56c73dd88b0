using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Forgeline.Web.Features.Playground;

/// <summary>
/// Turns an environment's course (Markdown an admin wrote) into HTML the Playground page may insert as is: raw HTML in the
/// Markdown comes out as text, links go only to http(s), mailto and relative URLs, and open apart from the terminal with
/// <c>rel="noopener nofollow"</c>.
/// </summary>
public static class PlaygroundCourse
{
    // No UseAdvancedExtensions: its generic attributes ({onclick=…}) would let Markdown write any attribute.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .Build();

    /// <summary>The course as safe HTML; an empty string for no course.</summary>
    public static string ToHtml(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }

        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            // <javascript:…> is a CommonMark autolink too; keep only the safe ones as links.
            var url = autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url;
            var link = new LinkInline(IsSafe(url) ? url : "", "") { IsAutoLink = true };
            link.AppendChild(new LiteralInline(autolink.Url));
            autolink.ReplaceBy(link);
        }

        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url) || (link.IsImage && link.Url?.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) == true))
            {
                link.Url = "";
            }

            if (!link.IsImage)
            {
                var attributes = link.GetAttributes();
                attributes.AddPropertyIfNotExist("rel", "noopener nofollow");
                attributes.AddPropertyIfNotExist("target", "_blank");
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>Whether a link may point there: http, https, mailto, or a URL without a scheme (relative, #fragment).</summary>
    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        // Browsers ignore ASCII tabs, newlines and leading control characters/spaces in a scheme ("java\tscript:").
        var compact = new string([.. url.Where(c => c > ' ')]);
        var end = compact.IndexOfAny([':', '/', '?', '#']);
        if (end < 0 || compact[end] != ':')
        {
            return true;
        }

        var scheme = compact[..end];
        return scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase);
    }
}
