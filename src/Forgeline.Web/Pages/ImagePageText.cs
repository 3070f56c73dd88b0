using System.Globalization;
using Forgeline.Builds;
using Forgeline.Core;
using Forgeline.Core.Images;

namespace Forgeline.Web.Pages;

/// <summary>How the image CI pages word and link what <c>ImageQueries</c> returns; the pages' scripts mirror it.</summary>
public static class ImagePageText
{
    /// <summary>Whether a run or job state may still change.</summary>
    public static bool IsLive(string state) => state is "queued" or "running" or "building" or "waiting";

    /// <summary>The matrix cell's colour class: <c>passed</c>, <c>failed</c> or <c>running</c> (queued too).</summary>
    public static string CellClass(string state) => state switch
    {
        "passed" => "passed",
        "failed" => "failed",
        _ => "running",
    };

    /// <summary>The glyph beside a state, so colour is never the only signal.</summary>
    public static string Glyph(string state) => state switch
    {
        "passed" or "succeeded" => "✓",
        "failed" => "✗",
        "skipped" => "–",
        _ => "…",
    };

    /// <summary>How long a run took, or has run so far.</summary>
    public static string Duration(ImageRunDto run, DateTimeOffset now) => DurationText.Format((run.FinishedAt ?? now) - run.CreatedAt);

    /// <summary>A job's VM time, or a dash.</summary>
    public static string Duration(ImageJobDto job) => job.Seconds is { } s ? DurationText.Format(TimeSpan.FromSeconds(s)) : "—";

    /// <summary>Where a job boots from, in words.</summary>
    public static string Boot(ImageJobDto job) => job.Boot == "image" ? "the image" : $"the disk of {job.Boot}";

    /// <summary>The first 12 hex digits of a digest, enough to tell disks apart on a page.</summary>
    public static string Short(string? sha256) => sha256 is { Length: > 12 } ? sha256[..12] : sha256 ?? "—";

    /// <summary>A size in B, KiB, MiB or GiB.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    /// <summary>A build artifact's download URL (the build farm's artifact route).</summary>
    public static string Artifact(long buildId, string name) => BuildMapper.ArtifactUrl(buildId, name);

    /// <summary>The detached signature of an image build's file.</summary>
    public static string Signature(long imageBuildId, string name) => $"/api/v1/image-builds/{imageBuildId}/files/{Uri.EscapeDataString(name)}.asc";
}
