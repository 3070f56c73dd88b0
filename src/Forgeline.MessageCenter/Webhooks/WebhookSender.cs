using System.Net.Http.Headers;
using Forgeline.Core.MessageCenter;
using Microsoft.Extensions.Options;

namespace Forgeline.MessageCenter.Webhooks;

/// <summary>
/// POSTs structured CloudEvents to subscribers: signed with the subscription's secret, each attempt bounded by
/// <see cref="MessageCenterOptions.TimeoutSeconds"/>, redirects not followed, no proxy, and every connection checked by
/// <see cref="WebhookTargets"/> on the address it actually reaches.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    /// <summary>The header carrying the CloudEvent id, the same on every retry (as in the Standard Webhooks spec).</summary>
    public const string EventIdHeader = "webhook-id";

    /// <summary>The header carrying the delivery's id.</summary>
    public const string DeliveryHeader = "X-Forgeline-Delivery";

    /// <summary>The header carrying the CloudEvent type.</summary>
    public const string TypeHeader = "X-Forgeline-Event";

    private static readonly MediaTypeHeaderValue ContentType = new(CloudEventEncoder.MediaType) { CharSet = "utf-8" };
    private readonly HttpClient http;
    private readonly TimeSpan timeout;
    private readonly TimeProvider time;

    /// <summary>Creates the sender and its connection pool.</summary>
    public WebhookSender(WebhookTargets targets, IOptions<MessageCenterOptions> options, TimeProvider time)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = targets.ConnectAsync,
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds),
        };
        http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Forgeline-Webhook/1");
        timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        this.time = time;
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    internal async Task<WebhookAttempt> SendAsync(WebhookWork work, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, work.Url) { Content = new ReadOnlyMemoryContent(work.Body) };
        request.Content.Headers.ContentType = ContentType;
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(work.Secret, work.Body.Span));
        request.Headers.Add(EventIdHeader, work.EventId);
        request.Headers.Add(TypeHeader, work.Type);
        request.Headers.Add(DeliveryHeader, work.DeliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            return new WebhookAttempt(status, status is >= 200 and < 300 ? null : $"the subscriber answered {status} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(null, $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return new WebhookAttempt(null, e.InnerException is WebhookTargetRefusedException refused ? $"refused: {refused.Message}" : e.Message);
        }
    }
}
