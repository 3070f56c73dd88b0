using Forgeline.Core.Builds;
using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.EndToEnd.Tests;

/// <summary><c>forgeline server</c> with its state on PostgreSQL (<c>FORGELINE_DATABASE</c>), and the errors for a bad setting.</summary>
public sealed class DatabaseTests
{
    [Fact]
    public async Task A_server_on_postgres_keeps_its_state_there_and_across_a_restart()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseEngine.Postgres);
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: true, new Dictionary<string, string?> { [DatabaseSettings.EnvironmentVariable] = database.Url });
        server.Process.Output.ShouldContain($"database: {database.Settings.Description}");

        var srpm = await TestPackages.MakeSrpmAsync(server.Home["in"], "elephant");
        var id = await server.SubmitAsync(srpm);
        var build = await server.WaitForFinalAsync(id);
        build.State.ShouldBe("succeeded", build.Reason);

        File.Exists(server.Home["data/forgeline.db"]).ShouldBeFalse("the state is in PostgreSQL, not in a SQLite file under --data");
        await using (var db = database.Open())
        {
            var row = await db.Builds.Include(b => b.Artifacts).SingleAsync(b => b.Id == id);
            row.State.ShouldBe(BuildState.Succeeded);
            row.Artifacts.Select(a => a.Kind).ShouldBe(["rpm", "srpm", "log"], ignoreOrder: true);
            (await db.ApiTokens.CountAsync(t => t.Name == "admin")).ShouldBe(1);
        }

        await server.Process.KillAsync();
        await server.StartProcessAsync();
        using var client = server.Client();
        (await client.GetBuildAsync(id)).State.ShouldBe("succeeded");
        (await server.CliAsync("builds", "log", id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Stdout.ShouldContain("Wrote:");
    }

    [Fact]
    public async Task A_malformed_database_url_stops_the_server_with_the_expected_form_and_without_the_password()
    {
        using var home = new TempDirectory();
        var (code, _, stderr) = await RunServerAsync(home, "postgres://forgeline:hunter2-s3cret@db.example.invalid:5x432/farm");
        code.ShouldBe(2);
        stderr.ShouldContain("FORGELINE_DATABASE has a port that is not a number");
        stderr.ShouldContain("postgres://USER:PASSWORD@HOST[:PORT]/DATABASE");
        stderr.ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task An_unreachable_database_stops_the_server_with_a_message_that_names_it_but_not_the_password()
    {
        using var home = new TempDirectory();
        var port = UnusedPort();
        var (code, stdout, stderr) = await RunServerAsync(home, $"postgres://forgeline:hunter2-s3cret@127.0.0.1:{port}/farm");
        code.ShouldBe(1);
        stderr.ShouldContain($"cannot use the database (PostgreSQL database farm on 127.0.0.1:{port} as forgeline)");
        stderr.ShouldContain("check FORGELINE_DATABASE");
        (stdout + stderr).ShouldNotContain("hunter2");
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunServerAsync(TempDirectory home, string database) =>
        ProcessRunner.RunAsync("dotnet", [ForgelineBinary.DllPath, "server", "--no-worker", "--urls", "http://127.0.0.1:0", "--data", home["data"]], home.Path,
            new Dictionary<string, string?> { [DatabaseSettings.EnvironmentVariable] = database, ["DOTNET_NOLOGO"] = "1" });

    private static int UnusedPort()
    {
        // Nothing listens there once the listener is gone: connections are refused at once.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
