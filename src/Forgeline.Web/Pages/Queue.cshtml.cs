using Forgeline.Builds;
using Forgeline.Core.Builds;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>The fair queue: each owner's share as bars, and the next builds with their position and estimated start.</summary>
public sealed class QueueModel(QueueService queue) : PageModel
{
    /// <summary>The queue shown.</summary>
    public QueueDto Queue { get; private set; } = new(0, [], [], 0, null);

    /// <summary>Only this owner's builds, if set.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    /// <summary>The largest running + queued count of any owner, the bars' full width.</summary>
    public int Widest => Queue.Owners.Select(o => o.Running + o.Queued).DefaultIfEmpty(1).Max();

    /// <summary>Loads the queue.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Queue = await queue.GetAsync(string.IsNullOrWhiteSpace(Owner) ? null : Owner, null, 100, cancellationToken);

    /// <summary>A stable colour per owner, so one owner's builds are recognisable down the list.</summary>
    public static string Hue(string owner) => $"hsl({(uint)owner.Aggregate(17, (h, c) => h * 31 + c) % 360} 60% 45%)";

    /// <summary>"next free slot", "in ~3m 10s" or "unknown".</summary>
    public static string Starts(DateTimeOffset? at) => at switch
    {
        null => "unknown",
        { } t when t <= DateTimeOffset.UtcNow => "next free slot",
        { } t => "in ~" + Core.DurationText.Format(t - DateTimeOffset.UtcNow),
    };
}
