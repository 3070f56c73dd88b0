using System.Globalization;
using Forgeline.Core.Meetings;

namespace Forgeline.Web.Pages;

/// <summary>Small pieces of text the meetings pages share: safe links, heat-map levels and tooltips.</summary>
public static class MeetingPageText
{
    /// <summary>How many colour steps the heat map has above "none".</summary>
    public const int Levels = 4;

    /// <summary><paramref name="url"/> when it is an http(s) link, else null (a platform's or a user's text never becomes a <c>javascript:</c> link).</summary>
    public static string? SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? url : null;

    /// <summary>The colour step (0 = no meetings, 1…<see cref="Levels"/>) of <paramref name="count"/> against the busiest cell.</summary>
    public static int Level(int count, int max) =>
        count <= 0 || max <= 0 ? 0 : Math.Clamp((int)Math.Ceiling(count * (double)Levels / max), 1, Levels);

    /// <summary>A cell's tooltip: meetings, hours and participants.</summary>
    public static string Tooltip(string sig, string month, MeetingMonthStat? cell) => cell is null
        ? $"{sig} · {month}: no meetings"
        : string.Create(CultureInfo.InvariantCulture, $"{sig} · {month}: {cell.Meetings} meetings, {cell.Hours:0.##} hours, {cell.Participants} participants");
}
