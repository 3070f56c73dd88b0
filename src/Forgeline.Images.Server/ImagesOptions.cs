using System.ComponentModel.DataAnnotations;

namespace Forgeline.Images.Server;

/// <summary>Image CI settings (<c>Forgeline:Images</c>).</summary>
public sealed class ImagesOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Forgeline:Images";

    /// <summary>How often the coordinator looks for due schedules, publications and ended jobs when nothing wakes it, in seconds.</summary>
    [Range(1, 3600)]
    public int CoordinatorIntervalSeconds { get; set; } = 5;

    /// <summary>The server's address for people (links in the results the bot reports); none: reports carry no link.</summary>
    public string? PublicUrl { get; set; }
}
