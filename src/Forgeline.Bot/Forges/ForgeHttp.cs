using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forgeline.Bot.Forges;

/// <summary>
/// Sends requests to one forge's REST API over a plain <see cref="HttpClient"/>: authentication through the client's
/// callback, JSON in and out, retries with exponential backoff and jitter on 5xx and network errors, rate-limit waits on
/// the injected clock, a per-attempt timeout, metrics. 4xx answers fail at once with the forge's own error message.
/// </summary>
public sealed partial class ForgeHttp
{
    /// <summary>The User-Agent every request carries (GitHub rejects requests without one).</summary>
    public const string UserAgent = "forgeline-bot";

    private const int PageSize = 100;
    private const int MaxPages = 1000;
    private static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions BodyJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient http;
    private readonly Action<HttpRequestMessage> authorize;
    private readonly TimeProvider time;
    private readonly ForgeMetrics? metrics;
    private readonly ILogger logger;

    /// <summary>Creates the sender; <paramref name="authorize"/> adds the forge's credentials to each request (a header or a query parameter).</summary>
    public ForgeHttp(
        Forge forge,
        HttpClient http,
        ForgeClientOptions options,
        Action<HttpRequestMessage> authorize,
        TimeProvider? time = null,
        ForgeMetrics? metrics = null,
        ILogger<ForgeHttp>? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        Forge = forge;
        Options = options;
        this.http = http;
        this.authorize = authorize;
        this.time = time ?? TimeProvider.System;
        this.metrics = metrics;
        this.logger = logger ?? NullLogger<ForgeHttp>.Instance;
    }

    /// <summary>The forge this sender talks to.</summary>
    public Forge Forge { get; }

    /// <summary>Where it connects and how patiently it retries.</summary>
    public ForgeClientOptions Options { get; }

    /// <summary>
    /// Sends one request (<paramref name="path"/> relative to <see cref="ForgeClientOptions.ApiUrl"/>, query included and
    /// already escaped; <paramref name="body"/> serialised as JSON with snake_case names, null properties left out). Returns 2xx answers, and 404 when
    /// <paramref name="notFoundIsAnswer"/>; throws <see cref="ForgeApiException"/> for every other failure.
    /// </summary>
    public async Task<ForgeResponse> SendAsync(HttpMethod method, string path, object? body, bool notFoundIsAnswer, CancellationToken cancellationToken)
    {
        var bodyText = body is null ? null : JsonSerializer.Serialize(body, body.GetType(), BodyJson);
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await AttemptAsync(method, path, bodyText, cancellationToken);
            if (outcome.Response is { } response)
            {
                if (response.IsSuccess || (notFoundIsAnswer && response.StatusCode == 404))
                {
                    return response;
                }

                if (RateLimitWait(response) is { } wait)
                {
                    var until = time.GetUtcNow() + wait;
                    if (wait > Options.MaxRateLimitWait)
                    {
                        throw new ForgeApiException(
                            $"{Forge} rate-limited {method} {path} until {until:yyyy-MM-ddTHH:mm:ssZ} (a wait of {wait.TotalSeconds:0} s, more than the {Options.MaxRateLimitWait.TotalSeconds:0} s allowed by MaxRateLimitWait); try again after then.",
                            response.StatusCode);
                    }

                    if (attempt >= Options.MaxAttempts)
                    {
                        throw new ForgeApiException(
                            $"{Forge} still rate-limited {method} {path} after {attempt} attempts (next allowed at {until:yyyy-MM-ddTHH:mm:ssZ}); try again later.",
                            response.StatusCode);
                    }

                    LogRateLimited(Forge, method.Method, path, wait.TotalSeconds);
                    await Task.Delay(wait, time, cancellationToken);
                    continue;
                }

                if (!IsRetryable(response.StatusCode) || attempt >= Options.MaxAttempts)
                {
                    throw new ForgeApiException(
                        $"{Forge} {method} {path} failed with {response.StatusCode}: {ErrorMessage(response)}"
                        + (IsRetryable(response.StatusCode) ? $" (after {attempt} attempts)" : ""),
                        response.StatusCode);
                }
            }
            else if (attempt >= Options.MaxAttempts)
            {
                throw new ForgeApiException($"{Forge} {method} {path} failed after {attempt} attempts: {outcome.Failure!.Message}", null, outcome.Failure);
            }

            var backoff = Backoff(attempt);
            LogRetrying(Forge, method.Method, path, attempt, outcome.Response?.StatusCode.ToString(CultureInfo.InvariantCulture) ?? outcome.Failure!.Message, backoff.TotalMilliseconds);
            await Task.Delay(backoff, time, cancellationToken);
        }
    }

    /// <summary>GETs <paramref name="path"/> and returns its JSON body.</summary>
    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Get, path, null, false, cancellationToken)).Body;

    /// <summary>
    /// GETs every page of a list (<c>per_page=100&amp;page=N</c>), going on while the forge says there is a next page
    /// (a <c>Link rel="next"</c>, GitLab's <c>X-Next-Page</c>, Gitee's <c>total_page</c>) or, when it says nothing, while pages come back full.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> GetAllPagesAsync(string path, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        for (var page = 1; page <= MaxPages; page++)
        {
            var response = await SendAsync(HttpMethod.Get, $"{path}{separator}per_page={PageSize}&page={page}", null, false, cancellationToken);
            if (response.Body.ValueKind != JsonValueKind.Array)
            {
                throw new ForgeApiException($"{Forge} GET {path} answered with {response.Body.ValueKind}, not a list.", response.StatusCode);
            }

            var count = response.Body.GetArrayLength();
            items.AddRange(response.Body.EnumerateArray());
            if (!HasNextPage(response, page, count))
            {
                return items;
            }
        }

        throw new ForgeApiException($"{Forge} GET {path} has more than {MaxPages} pages; the bot does not read that many.");
    }

    private static bool HasNextPage(ForgeResponse response, int page, int count)
    {
        if (count == 0)
        {
            return false;
        }

        if (response.Header("Link") is not null)
        {
            return response.LinksToNextPage;
        }

        if (response.Header("X-Next-Page") is { } next)
        {
            return next.Trim().Length > 0;
        }

        if (response.Header("total_page") is { } total && int.TryParse(total, CultureInfo.InvariantCulture, out var pages))
        {
            return page < pages;
        }

        return count >= PageSize;
    }

    private async Task<AttemptOutcome> AttemptAsync(HttpMethod method, string path, string? bodyText, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(Options.ApiUrl.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/')));
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (bodyText is not null)
        {
            request.Content = new StringContent(bodyText, Encoding.UTF8, "application/json");
        }

        authorize(request);
        using var timeout = new CancellationTokenSource(Options.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = time.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            var status = (int)response.StatusCode;
            metrics?.RecordRequest(Forge, method.Method, status.ToString(CultureInfo.InvariantCulture), time.GetElapsedTime(started));
            return new AttemptOutcome(new ForgeResponse(status, Parse(text, status, method, path), Headers(response)), null);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics?.RecordRequest(Forge, method.Method, "timeout", time.GetElapsedTime(started));
            return new AttemptOutcome(null, new TimeoutException($"no answer within {Options.RequestTimeout.TotalSeconds:0.#} s", e));
        }
        catch (HttpRequestException e)
        {
            metrics?.RecordRequest(Forge, method.Method, "network", time.GetElapsedTime(started));
            return new AttemptOutcome(null, e);
        }
    }

    private JsonElement Parse(string text, int status, HttpMethod method, string path)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException) when (status is < 200 or >= 300)
        {
            // An error page from a proxy: keep its text so the error message can quote it.
            return JsonSerializer.SerializeToElement(text);
        }
        catch (JsonException e)
        {
            throw new ForgeApiException($"{Forge} {method} {path} answered {status} with a body that is not JSON: {e.Message}", status, e);
        }
    }

    private static Dictionary<string, string> Headers(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(", ", values);
        }

        return headers;
    }

    private static bool IsRetryable(int status) => status is 500 or 502 or 503 or 504;

    private TimeSpan Backoff(int attempt)
    {
        var exponential = Options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        var capped = exponential < Options.MaxRetryDelay ? exponential : Options.MaxRetryDelay;
        // Jitter between half and all of the delay, so many bots that failed together do not retry together.
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    private sealed record AttemptOutcome(ForgeResponse? Response, Exception? Failure);
}
