using System.Net.Http.Json;
using Forgeline.Core.Meetings;

namespace Forgeline.Core.Client;

/// <summary>Community meetings: booking, changing and cancelling them, lists and statistics.</summary>
public sealed partial class ForgelineClient
{
    /// <summary>Books a meeting for a SIG the caller is in.</summary>
    public async Task<MeetingDto> BookMeetingAsync(MeetingBookingRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/meetings", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<MeetingDto>(response, cancellationToken);
    }

    /// <summary>One meeting with its upcoming occurrences and recordings.</summary>
    public async Task<MeetingDto> GetMeetingAsync(long id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/meetings/{id}", cancellationToken);
        return await ReadAsync<MeetingDto>(response, cancellationToken);
    }

    /// <summary>Meetings (of one SIG) with an occurrence from now on, soonest first; <paramref name="cancelled"/> includes cancelled ones.</summary>
    public async Task<List<MeetingDto>> ListMeetingsAsync(string? sig = null, bool cancelled = false, CancellationToken cancellationToken = default)
    {
        var query = (sig is null ? "" : $"sig={Uri.EscapeDataString(sig)}&") + $"cancelled={(cancelled ? "true" : "false")}";
        using var response = await http.GetAsync($"api/v1/meetings?{query}", cancellationToken);
        return await ReadAsync<List<MeetingDto>>(response, cancellationToken);
    }

    /// <summary>Changes the fields of a meeting that <paramref name="request"/> sets.</summary>
    public async Task<MeetingDto> ChangeMeetingAsync(long id, MeetingBookingRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PatchAsJsonAsync($"api/v1/meetings/{id}", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<MeetingDto>(response, cancellationToken);
    }

    /// <summary>Cancels a meeting.</summary>
    public async Task<MeetingDto> CancelMeetingAsync(long id, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/meetings/{id}", cancellationToken);
        return await ReadAsync<MeetingDto>(response, cancellationToken);
    }

    /// <summary>Meetings per SIG per month from <paramref name="from"/> to <paramref name="to"/> (<c>2027-01</c>; default the last 12 months).</summary>
    public async Task<MeetingStatistics> MeetingStatisticsAsync(string? from = null, string? to = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/meetings/statistics?{MonthQuery(from, to)}", cancellationToken);
        return await ReadAsync<MeetingStatistics>(response, cancellationToken);
    }

    /// <summary>The same statistics as CSV (<c>sig,month,meetings,hours,participants</c>).</summary>
    public async Task<string> MeetingStatisticsCsvAsync(string? from = null, string? to = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/meetings/statistics?format=csv&{MonthQuery(from, to)}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private static string MonthQuery(string? from, string? to) =>
        (from is null ? "" : $"from={Uri.EscapeDataString(from)}&") + (to is null ? "" : $"to={Uri.EscapeDataString(to)}");
}
