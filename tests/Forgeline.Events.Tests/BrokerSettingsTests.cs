using Microsoft.Extensions.Configuration;

namespace Forgeline.Events.Tests;

public sealed class BrokerSettingsTests
{
    [Theory]
    [InlineData("amqp://forgeline:pw@mq.example.org:5673/prod", false, "mq.example.org", 5673, "prod", "forgeline", "pw")]
    [InlineData("amqp://mq", false, "mq", 5672, "/", "guest", "guest")]
    [InlineData("amqps://ci:pw@mq.example.org/", true, "mq.example.org", 5671, "/", "ci", "pw")]
    [InlineData("amqp://ci:pw@10.0.0.7/%2F", false, "10.0.0.7", 5672, "/", "ci", "pw")]
    [InlineData("amqp://ci%2Bbot:p%40ss%3Aw%2Frd@mq:5672/team%2Fa", false, "mq", 5672, "team/a", "ci+bot", "p@ss:w/rd")]
    [InlineData("amqp://ci:pw@[::1]:5672/v", false, "::1", 5672, "v", "ci", "pw")]
    [InlineData("  amqp://ci:pw@mq/v \n", false, "mq", 5672, "v", "ci", "pw")]
    public void A_broker_URL_gives_host_port_vhost_and_credentials(string url, bool tls, string host, int port, string vhost, string user, string password)
    {
        var settings = BrokerSettings.Parse(url);

        settings.IsInProcess.ShouldBeFalse();
        settings.UseTls.ShouldBe(tls);
        settings.Host.ShouldBe(host);
        settings.Port.ShouldBe(port);
        settings.VirtualHost.ShouldBe(vhost);
        settings.UserName.ShouldBe(user);
        settings.Password.ShouldBe(password);
        settings.Setting.ShouldBe("FORGELINE_BROKER");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_broker_means_the_in_process_bus(string? url)
    {
        var settings = BrokerSettings.Parse(url);

        settings.IsInProcess.ShouldBeTrue();
        settings.ToString().ShouldBe("in-process");
    }

    [Theory]
    [InlineData("http://ci:Hunter2-Secret@mq/v", "uses the scheme 'http'")]
    [InlineData("mq.example.org:5672", "uses the scheme 'mq.example.org'")]
    [InlineData("just words Hunter2-Secret", "is not a URL")]
    [InlineData("amqp://ci:Hunter2-Secret@mq:99999/v", "is not a URL")]
    [InlineData("amqp://ci:Hunter2-Secret@mq/team/a", "the path is the vhost, one segment; write a '/' inside a vhost name as %2F")]
    [InlineData("amqp://ci:Hunter2-Secret@mq/v?heartbeat=10", "has a query or fragment")]
    [InlineData("amqp://ci:Hunter2-Secret@mq/v#x", "has a query or fragment")]
    [InlineData("amqp://ci@mq/v", "names a user but no password")]
    [InlineData("amqp://:Hunter2-Secret@mq/v", "names a user but no password (or no user before the ':')")]
    [InlineData("amqp:///v", "names no host")]
    public void A_bad_broker_URL_is_refused_naming_the_setting_but_never_the_password(string url, string problem)
    {
        var error = Should.Throw<FormatException>(() => BrokerSettings.Parse(url));

        error.Message.ShouldStartWith("FORGELINE_BROKER ");
        error.Message.ShouldContain(problem);
        error.Message.ShouldNotContain("Hunter2-Secret");
        BrokerSettings.TryParse(url, out var settings, out var message).ShouldBeFalse();
        settings.IsInProcess.ShouldBeTrue();
        message.ShouldBe(error.Message);
    }

    [Fact]
    public void The_text_form_is_the_URL_without_the_password()
    {
        var settings = BrokerSettings.Parse("amqps://forgeline:Hunter2-Secret@mq.example.org:5673/prod%2Feu");

        settings.ToString().ShouldBe("amqps://forgeline@mq.example.org:5673/prod%2Feu");
        BrokerSettings.Parse("amqp://u:p@[::1]/v").ToString().ShouldBe("amqp://u@[::1]:5672/v");
    }

    [Fact]
    public void The_environment_variable_wins_over_the_configuration_key()
    {
        var both = Configuration(("FORGELINE_BROKER", "amqp://a:pw@from-env/v"), ("Forgeline:Broker", "amqp://b:pw@from-config/v"));
        var configOnly = Configuration(("Forgeline:Broker", "amqp://b:pw@from-config/v"));
        var blankEnvironment = Configuration(("FORGELINE_BROKER", " "), ("Forgeline:Broker", "amqp://b:pw@from-config/v"));

        BrokerSettings.FromConfiguration(both).Host.ShouldBe("from-env");
        BrokerSettings.FromConfiguration(configOnly).Host.ShouldBe("from-config");
        BrokerSettings.FromConfiguration(configOnly).Setting.ShouldBe("Forgeline:Broker");
        BrokerSettings.FromConfiguration(blankEnvironment).Host.ShouldBe("from-config");
        BrokerSettings.FromConfiguration(Configuration()).IsInProcess.ShouldBeTrue();
    }

    [Fact]
    public void An_error_in_the_configuration_key_names_that_key()
    {
        var error = Should.Throw<FormatException>(() => BrokerSettings.FromConfiguration(Configuration(("Forgeline:Broker", "redis://cache"))));

        error.Message.ShouldStartWith("Forgeline:Broker uses the scheme 'redis'");
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
