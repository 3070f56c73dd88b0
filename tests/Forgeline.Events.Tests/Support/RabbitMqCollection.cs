using Forgeline.Testing;

namespace Forgeline.Events.Tests.Support;

/// <summary>One RabbitMQ node for every test class that needs one; each test takes a vhost of its own.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqServer>
{
    /// <summary>The collection name.</summary>
    public const string Name = "rabbitmq";
}
