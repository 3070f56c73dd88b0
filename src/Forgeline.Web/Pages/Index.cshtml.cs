using Forgeline.Builds;
using Forgeline.Core.Builds;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>The builds list, newest first.</summary>
public sealed class IndexModel(BuildService builds, BuildVisibility visibility) : PageModel
{
    /// <summary>The builds shown.</summary>
    public IReadOnlyList<BuildDto> Builds { get; private set; } = [];

    /// <summary>Whether any build may still change (the page then refreshes itself).</summary>
    public bool AnyActive => Builds.Any(b => !b.StateValue.IsFinal());

    /// <summary>Loads the newest 100 builds the viewer may see.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Builds = (await builds.ListAsync(null, 100, null, cancellationToken, await visibility.HiddenProjectsAsync(User.ToViewer(), cancellationToken))).Value!.Items;

    /// <summary>"3 min ago" style.</summary>
    public static string Ago(DateTimeOffset at)
    {
        var span = DateTimeOffset.UtcNow - at;
        return span.TotalSeconds < 60 ? $"{Math.Max(0, (int)span.TotalSeconds)} s ago"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min ago"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h ago"
            : at.ToString("yyyy-MM-dd");
    }
}
