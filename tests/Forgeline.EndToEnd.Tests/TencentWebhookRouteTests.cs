using System.Net;
using Forgeline.Testing.Meetings;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// Tencent Meeting's webhook routes on a real <c>forgeline server</c> configured for a fake Tencent Meeting: the URL
/// verification GET (check_str URL-encoded in the query, X-TC-* headers) is answered with the bare decoded text; a
/// signed event POST is accepted; forged ones are refused with 401.
/// </summary>
public sealed class TencentWebhookRouteTests : IAsyncLifetime
{
    private const string Token = "e2etencentwebhooktoken025";
    private FakeTencentMeeting tencent = null!;
    private MeetingServer meetings = null!;

    public async Task InitializeAsync()
    {
        tencent = await FakeTencentMeeting.StartAsync();
        meetings = await MeetingServer.StartAsync(new Dictionary<string, string?>
        {
            ["Forgeline__Meetings__Tencent__AppId"] = tencent.AppId,
            ["Forgeline__Meetings__Tencent__SdkId"] = tencent.SdkId,
            ["Forgeline__Meetings__Tencent__SecretId"] = tencent.SecretId,
            ["Forgeline__Meetings__Tencent__SecretKey"] = tencent.SecretKey,
            ["Forgeline__Meetings__Tencent__UserId"] = tencent.UserId,
            ["Forgeline__Meetings__Tencent__WebhookToken"] = Token,
            ["Forgeline__Meetings__Tencent__ApiBaseUrl"] = tencent.ApiBaseUrl,
        });
    }

    public async Task DisposeAsync()
    {
        await meetings.DisposeAsync();
        await tencent.DisposeAsync();
    }

    [Fact]
    public async Task The_url_verification_is_answered_in_bare_text_and_signed_events_are_accepted_forged_ones_refused()
    {
        using var http = new HttpClient { BaseAddress = meetings.Server.Url };
        // "+/=" in check_str must survive the query's URL decoding.
        var check = FakeTencentDelivery.Signed(Token, "ok?>>~check", DateTimeOffset.UtcNow);
        check.Data.ShouldContain("+");

        using (var response = await SendAsync(http, HttpMethod.Get, $"api/v1/meetings/webhooks/tencent?check_str={Uri.EscapeDataString(check.Data)}", check, null))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync()).ShouldBe("ok?>>~check");
        }

        using (var forged = await SendAsync(http, HttpMethod.Get, $"api/v1/meetings/webhooks/tencent?check_str={Uri.EscapeDataString(check.Data)}", check with { Signature = new string('0', 40) }, null))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var delivery = FakeTencentDelivery.RecordingCompleted(Token, DateTimeOffset.UtcNow, "13339451618278424869", ["f1"]);
        using (var accepted = await SendAsync(http, HttpMethod.Post, "api/v1/meetings/webhooks/tencent", delivery, delivery.Body))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var other = FakeTencentDelivery.RecordingCompleted("not-the-token-000000000000", DateTimeOffset.UtcNow, "13339451618278424869", ["f1"]);
        using (var refused = await SendAsync(http, HttpMethod.Post, "api/v1/meetings/webhooks/tencent", other, other.Body))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, FakeTencentDelivery delivery, byte[]? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        request.Headers.Add("X-TC-Timestamp", delivery.Timestamp);
        request.Headers.Add("X-TC-Nonce", delivery.Nonce);
        request.Headers.Add("X-TC-Signature", delivery.Signature);
        return await http.SendAsync(request);
    }
}
