using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;

namespace Forgeline.MessageCenter.Tests;

/// <summary>With a broker, every outbox event also goes to RabbitMQ's <c>forgeline.events</c> exchange, keyed by its type.</summary>
public sealed class BrokerEventPublisherTests
{
    [Fact]
    public async Task Events_reach_a_queue_bound_to_their_type_on_the_forgeline_events_exchange_exactly_as_stored()
    {
        await using var broker = await RabbitMqServer.StartAsync(virtualHosts: 1);
        var virtualHost = await broker.CreateVirtualHostAsync();
        await using var host = await MessageCenterHost.StartAsync(DatabaseEngine.Sqlite, new Dictionary<string, string?> { ["Forgeline:Broker"] = broker.Url(virtualHost) });
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = broker.Port, VirtualHost = virtualHost, UserName = RabbitMqServer.UserName, Password = broker.Password };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, "forgeline.events", "org.forgeline.build.*");
        await WaitAsync(async () =>
        {
            await using var db = host.Open();
            return await db.EventCursors.AnyAsync(c => c.Name == BrokerEventPublisher.CursorName);
        });

        await host.PublishAsync(EventTypes.ProjectCreated, "projects/p", "alice", isPublic: true);
        var stored = await host.PublishAsync(EventTypes.BuildFinished, "builds/3", "alice", isPublic: true, new { id = 3, result = "failed" });

        BasicGetResult? got = null;
        await WaitAsync(async () => (got = await channel.BasicGetAsync(queue, autoAck: true)) is not null);
        got!.RoutingKey.ShouldBe(EventTypes.BuildFinished);
        got.BasicProperties.MessageId.ShouldBe(stored.EventId);
        got.BasicProperties.ContentType.ShouldBe("application/cloudevents+json");
        got.BasicProperties.Persistent.ShouldBeTrue();
        got.Body.ToArray().ShouldBe(CloudEventEncoder.Encode(stored).ToArray());
        (await channel.BasicGetAsync(queue, autoAck: true)).ShouldBeNull("the project event is not bound to this queue");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the condition never held");
            }

            await Task.Delay(100);
        }
    }
}
