namespace Forgeline.Testing;

/// <summary>A database of its own on a <see cref="PostgresServer"/>, for one test; dropped on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly PostgresServer server;

    internal PostgresDatabase(PostgresServer server, string name)
    {
        this.server = server;
        Name = name;
    }

    /// <summary>Its name, <c>t_</c> and 32 hex digits.</summary>
    public string Name { get; }

    /// <summary>An Npgsql connection string to it, as the superuser.</summary>
    public string ConnectionString => server.ConnectionStringFor(Name);

    /// <summary>The same as a <c>FORGELINE_DATABASE</c> URL.</summary>
    public string Url => $"postgres://postgres@127.0.0.1:{server.Port}/{Name}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await server.DropDatabaseAsync(Name);
}
