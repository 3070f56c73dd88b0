using System.Net.Http.Headers;
using System.Net.Http.Json;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Images.Server;

/// <summary>
/// Reports ended runs that the review bot started to the bot's URL-job status endpoint (docs/bot-jobs.md): success when
/// every job passed, failure otherwise, with which jobs failed and a link to the run. A bot that is down is tried again
/// at the next pass; one that refuses (4xx: the run or pull request is gone) is not asked again.
/// </summary>
public sealed partial class BotReporter(ForgelineDbContext db, IHttpClientFactory http, IOptions<ImagesOptions> options, ILogger<BotReporter> logger)
{
    /// <summary>The name of the HTTP client it uses.</summary>
    public const string HttpClientName = "forgeline-images-bot";

    /// <summary>Reports every ended, unreported bot run.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var ended = await db.ImageRuns.Where(r => r.ReportUrl != null && !r.Reported && r.FinishedAt != null).ToListAsync(cancellationToken);
        foreach (var run in ended)
        {
            var jobs = await db.ImageRunJobs.AsNoTracking().Where(j => j.RunId == run.Id).OrderBy(j => j.Position).ToListAsync(cancellationToken);
            var failed = jobs.Where(j => j.State != ImageStates.Passed).Select(j => $"{j.Name} {j.State}").ToList();
            var description = run.State == ImageStates.Passed
                ? $"{jobs.Count} of {jobs.Count} VM jobs passed"
                : run.Reason ?? $"{jobs.Count - failed.Count} of {jobs.Count} VM jobs passed; {string.Join(", ", failed)}";
            var link = options.Value.PublicUrl is { Length: > 0 } server ? $"{server.TrimEnd('/')}/images/runs/{run.Id}" : null;
            using var request = new HttpRequestMessage(HttpMethod.Post, run.ReportUrl)
            {
                Content = JsonContent.Create(new { state = run.State == ImageStates.Passed ? "success" : "failure", description = description.Length > 140 ? description[..139] + "…" : description, url = link }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", run.ReportToken);
            try
            {
                using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
                if ((int)response.StatusCode >= 500)
                {
                    LogReportRetry(run.Id, $"HTTP {(int)response.StatusCode}");
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    LogReportRefused(run.Id, (int)response.StatusCode);
                }
            }
            catch (HttpRequestException e)
            {
                LogReportRetry(run.Id, e.Message);
                continue;
            }

            run.Reported = true;
            run.ReportToken = null;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting image test run {Run} to the review bot failed ({Problem}); the next pass tries again")]
    private partial void LogReportRetry(long run, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The review bot refused the report of image test run {Run} (HTTP {Status}); it is not sent again")]
    private partial void LogReportRefused(long run, int status);
}
