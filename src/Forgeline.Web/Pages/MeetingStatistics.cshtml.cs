using Forgeline.Core.Meetings;
using Forgeline.Meetings.Server;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary><c>/meetings/statistics</c>: a heat map of meetings per SIG per month, the SIGs that met most, and the exports.</summary>
public sealed class MeetingStatisticsModel(MeetingQueries queries) : PageModel
{
    /// <summary>The statistics, when the range was valid.</summary>
    public MeetingStatistics? Statistics { get; private set; }

    /// <summary>Why there are none (a badly written month, a range too long).</summary>
    public string? Problem { get; private set; }

    /// <summary>The first month asked for, as written.</summary>
    public string? From { get; private set; }

    /// <summary>The last month asked for, as written.</summary>
    public string? To { get; private set; }

    /// <summary>The most meetings of any cell, which gets the darkest colour.</summary>
    public int Busiest { get; private set; }

    /// <summary>The query string of the range (for the export links), empty for the default range.</summary>
    public string RangeQuery =>
        (From is { Length: > 0 } f ? $"&from={Uri.EscapeDataString(f)}" : "") + (To is { Length: > 0 } t ? $"&to={Uri.EscapeDataString(t)}" : "");

    /// <summary>The cell of <paramref name="sig"/> in <paramref name="month"/>, or null when it did not meet.</summary>
    public MeetingMonthStat? Cell(string sig, string month) => Statistics?.Cells.FirstOrDefault(c => c.Sig == sig && c.Month == month);

    /// <summary>Loads the statistics of the range.</summary>
    public async Task OnGetAsync(string? from, string? to, CancellationToken cancellationToken)
    {
        From = string.IsNullOrWhiteSpace(from) ? null : from.Trim();
        To = string.IsNullOrWhiteSpace(to) ? null : to.Trim();
        var result = await queries.StatisticsAsync(From, To, cancellationToken);
        if (!result.IsSuccess)
        {
            Problem = result.Message;
            return;
        }

        Statistics = result.Value;
        Busiest = Statistics!.Cells.Select(c => c.Meetings).DefaultIfEmpty(0).Max();
    }
}
