using System.Net;
using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.MessageCenter.Webhooks;
using Forgeline.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.MessageCenter.Tests;

/// <summary>Subscription URLs and the addresses the dispatcher may connect to (SSRF).</summary>
public sealed class WebhookTargetTests
{
    private static readonly WebhookTargets Default = new(new MessageCenterOptions());

    [Theory]
    [InlineData("ftp://example.org/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://example.org/")]
    [InlineData("example.org/hook")]
    [InlineData("")]
    public void A_url_that_is_not_http_or_https_is_refused(string url) =>
        Default.UrlProblem(url)!.ShouldContain("must be an absolute http:// or https:// URL");

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://localhost./hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.1.2.3/hook")]
    public void A_literal_internal_address_is_refused_when_subscribing(string url) =>
        Default.UrlProblem(url)!.ShouldContain("AllowPrivateTargets");

    [Fact]
    public void Credentials_in_the_url_are_refused() => Default.UrlProblem("https://user:pw@example.org/")!.ShouldContain("user name or password");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.5.5.5")]
    [InlineData("::1")]
    [InlineData("169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("224.0.0.251")]
    [InlineData("ff02::1")]
    [InlineData("192.168.1.1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_link_local_unspecified_multicast_and_private_addresses_are_refused(string address) =>
        Default.Problem(IPAddress.Parse(address)).ShouldNotBeNull();

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    public void Public_addresses_are_allowed(string address) => Default.Problem(IPAddress.Parse(address)).ShouldBeNull();

    [Fact]
    public void An_admin_may_allow_a_network_or_every_private_address()
    {
        var some = new WebhookTargets(new MessageCenterOptions { AllowedTargets = ["10.20.0.0/16"] });
        some.Problem(IPAddress.Parse("10.20.3.4")).ShouldBeNull();
        some.Problem(IPAddress.Parse("10.21.3.4")).ShouldNotBeNull();
        new WebhookTargets(new MessageCenterOptions { AllowPrivateTargets = true }).Problem(IPAddress.Loopback).ShouldBeNull();
    }

    [Fact]
    public async Task A_name_that_resolves_to_an_internal_address_is_refused_at_connect_time_and_nothing_is_sent()
    {
        // A name that passed the check when subscribing and resolves to loopback now (DNS rebinding): the row is written
        // as it would stand, with a name the connect-time check must resolve and refuse.
        await using var host = await MessageCenterHost.StartAsync(DatabaseEngine.Sqlite, new Dictionary<string, string?> { ["Forgeline:Events:AllowPrivateTargets"] = "false" });
        await using var subscriber = await WebhookSubscriber.StartAsync();
        long id;
        await using (var db = host.Open())
        {
            var row = new EventSubscriptionRecord
            {
                Owner = "admin", Types = "*", Url = $"http://localhost:{subscriber.Port}/hook", Secret = "0123456789abcdef", Audience = "admin", SeesAll = true, CreatedAt = DateTime.UtcNow,
            };
            db.EventSubscriptions.Add(row);
            await db.SaveChangesAsync();
            id = row.Id;
        }

        await host.PublishAsync(EventTypes.BuildQueued, "builds/1", "alice", isPublic: true);

        var deliveries = await host.WaitForDeliveriesAsync(MessageCenterHost.Admin, id, d => d is [{ Attempts: >= 1 }], TimeSpan.FromSeconds(30));
        deliveries[0].State.ShouldNotBe("delivered");
        deliveries[0].LastError!.ShouldContain("refused");
        deliveries[0].LastError!.ShouldContain("AllowPrivateTargets");
        subscriber.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Subscribing_a_loopback_url_without_the_setting_is_refused_with_a_clear_message()
    {
        await using var host = await MessageCenterHost.StartAsync(DatabaseEngine.Sqlite, new Dictionary<string, string?> { ["Forgeline:Events:AllowPrivateTargets"] = "false" }, runDispatcher: false);
        await using var scope = host.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<SubscriptionService>();

        var loopback = await service.CreateAsync(MessageCenterHost.Admin, new CreateSubscriptionRequest(["*"], "http://127.0.0.1:9/hook"), CancellationToken.None);
        loopback.IsSuccess.ShouldBeFalse();
        loopback.Message!.ShouldContain("127.0.0.1 is a loopback");
        var ftp = await service.CreateAsync(MessageCenterHost.Admin, new CreateSubscriptionRequest(["*"], "ftp://example.org/"), CancellationToken.None);
        ftp.Message!.ShouldContain("http:// or https://");
        var pattern = await service.CreateAsync(MessageCenterHost.Admin, new CreateSubscriptionRequest(["org forgeline"], "https://example.org/"), CancellationToken.None);
        pattern.Message!.ShouldContain("is not valid");
    }
}
