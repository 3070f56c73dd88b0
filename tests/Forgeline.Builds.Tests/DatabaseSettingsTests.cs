using Forgeline.Data;
using Npgsql;

namespace Forgeline.Builds.Tests;

/// <summary><c>FORGELINE_DATABASE</c>: PostgreSQL and SQLite URLs, and clear errors that never show the password.</summary>
public sealed class DatabaseSettingsTests
{
    private const string DefaultPath = "/srv/forgeline/forgeline.db";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_setting_means_the_sqlite_file_under_the_data_directory(string? value)
    {
        var settings = Parse(value);
        settings.Engine.ShouldBe(DatabaseEngine.Sqlite);
        settings.IsPostgres.ShouldBeFalse();
        settings.FilePath.ShouldBe(DefaultPath);
        settings.ConnectionString.ShouldContain($"Data Source={DefaultPath}");
    }

    [Theory]
    [InlineData("sqlite:///var/lib/forgeline/state.db", "/var/lib/forgeline/state.db")]
    [InlineData("SQLITE:///tmp/with%20space.db", "/tmp/with space.db")]
    public void A_sqlite_url_names_the_file(string value, string path)
    {
        var settings = Parse(value);
        settings.Engine.ShouldBe(DatabaseEngine.Sqlite);
        settings.FilePath.ShouldBe(path);
        settings.Description.ShouldBe($"SQLite {path}");
    }

    [Theory]
    [InlineData("postgres://forgeline:secret@db.example.org:6432/farm?sslmode=require")]
    [InlineData("postgresql://forgeline:secret@db.example.org:6432/farm?sslmode=require")]
    public void A_postgres_url_becomes_an_npgsql_connection_string(string value)
    {
        var settings = Parse(value);
        settings.Engine.ShouldBe(DatabaseEngine.Postgres);
        settings.IsPostgres.ShouldBeTrue();
        settings.FilePath.ShouldBeNull();
        var connection = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        (connection.Host, connection.Port, connection.Database, connection.Username, connection.Password, connection.SslMode)
            .ShouldBe(("db.example.org", 6432, "farm", "forgeline", "secret", SslMode.Require));
        settings.Description.ShouldBe("PostgreSQL database farm on db.example.org:6432 as forgeline");
        settings.ToString().ShouldNotContain("secret");
    }

    [Fact]
    public void The_port_defaults_to_5432_and_a_password_is_optional()
    {
        var connection = new NpgsqlConnectionStringBuilder(Parse("postgres://forgeline@localhost/farm").ConnectionString);
        (connection.Host, connection.Port, connection.Username, connection.Password).ShouldBe(("localhost", 5432, "forgeline", (string?)null));
    }

    [Theory]
    [InlineData("p%40ss%3Aw%2Fo%3Frd%23%20%25x", "p@ss:w/o?rd# %x")]
    [InlineData("%C3%A9t%C3%A9%2B1", "été+1")]
    [InlineData("plus+stays", "plus+stays")]
    public void User_and_password_are_percent_decoded(string encoded, string password)
    {
        var connection = new NpgsqlConnectionStringBuilder(Parse($"postgres://ci%2Dbot%40corp:{encoded}@db:5432/farm").ConnectionString);
        connection.Username.ShouldBe("ci-bot@corp");
        connection.Password.ShouldBe(password);
    }

    [Fact]
    public void An_unencoded_at_sign_in_the_password_is_still_understood()
    {
        var connection = new NpgsqlConnectionStringBuilder(Parse("postgres://forgeline:p@ss@db/farm").ConnectionString);
        (connection.Password, connection.Host).ShouldBe(("p@ss", "db"));
    }

    [Fact]
    public void An_ipv6_host_libpq_parameters_and_npgsql_keywords_are_understood()
    {
        var connection = new NpgsqlConnectionStringBuilder(
            Parse("postgres://u:pw@[::1]:5433/farm?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem&application_name=forgeline-api&connect_timeout=7&Maximum%20Pool%20Size=50").ConnectionString);
        (connection.Host, connection.Port, connection.SslMode, connection.RootCertificate, connection.ApplicationName, connection.Timeout, connection.MaxPoolSize)
            .ShouldBe(("::1", 5433, SslMode.VerifyFull, "/etc/ssl/ca.pem", "forgeline-api", 7, 50));
    }

    [Fact]
    public void A_unix_socket_directory_may_be_given_as_the_host_parameter()
    {
        var connection = new NpgsqlConnectionStringBuilder(Parse("postgresql://forgeline@/farm?host=/run/postgresql").ConnectionString);
        (connection.Host, connection.Database).ShouldBe(("/run/postgresql", "farm"));
    }

    [Theory]
    [InlineData("mysql://forgeline:hunter2secret@db/farm", "neither a postgres:// nor a sqlite:// URL")]
    [InlineData("Host=db;Password=hunter2secret", "neither a postgres:// nor a sqlite:// URL")]
    [InlineData("postgres://forgeline:hunter2secret@db:54x32/farm", "port that is not a number")]
    [InlineData("postgres://forgeline:hunter2secret@db:99999/farm", "port that is not a number")]
    [InlineData("postgres://forgeline:hunter2secret@db", "names no database")]
    [InlineData("postgres://forgeline:hunter2secret@db/", "names no database")]
    [InlineData("postgres://forgeline:hunter2secret@/farm", "names no host")]
    [InlineData("postgres://forgeline:hunter2/secret@db/farm", "percent-encoded")]
    [InlineData("postgres://forgeline:hunter2#secret@db/farm", "%23")]
    [InlineData("postgres://forgeline:hunter2secret@db/farm/more", "more than one path segment")]
    [InlineData("postgres://forgeline:hunter2secret@[::1/farm", "IPv6")]
    [InlineData("postgres://forgeline:hunter2secret@db/farm?sslmode=hunter2secret", "unknown sslmode; use one of disable, allow, prefer, require, verify-ca, verify-full")]
    [InlineData("postgres://forgeline:hunter2secret@db/farm?frobnicate=hunter2secret", "unknown parameter 'frobnicate'")]
    [InlineData("postgres://forgeline:hunter2secret@db/farm?connect_timeout=hunter2secret", "invalid value for the parameter 'connect_timeout'")]
    [InlineData("sqlite://relative/hunter2secret.db", "absolute path")]
    [InlineData("sqlite:", "absolute path")]
    public void A_malformed_setting_is_refused_with_the_expected_form_and_without_the_password(string value, string expected)
    {
        var (settings, problem) = DatabaseSettings.Parse(value, DefaultPath);
        settings.ShouldBeNull();
        problem.ShouldNotBeNull();
        problem.ShouldStartWith("FORGELINE_DATABASE ");
        problem.ShouldContain(expected);
        problem.ShouldContain("postgres://USER:PASSWORD@HOST[:PORT]/DATABASE");
        problem.ShouldNotContain("hunter2", Case.Insensitive);
    }

    private static DatabaseSettings Parse(string? value)
    {
        var (settings, problem) = DatabaseSettings.Parse(value, DefaultPath);
        problem.ShouldBeNull();
        return settings!;
    }
}
