using System.Net;
using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// A server whose disk fills up, on a real small filesystem (<see cref="SmallDisk"/>): not ready, 507 naming the store,
/// the CLI saying so, and a build whose results meet the full disk still succeeding once space is back, on its first
/// attempt. And a database that stops taking writes.
/// </summary>
public sealed class StorageFaultTests
{
    private static Dictionary<string, string?> OnDisk(SmallDisk disk) => new()
    {
        ["FORGELINE_DATA"] = disk.Path,
        ["Forgeline__Storage__MinFreeMegabytes"] = "8",
        ["Forgeline__Builds__LeaseSeconds"] = "3",
        ["Forgeline__Builds__ReapIntervalSeconds"] = "1",
    };

    [Fact]
    public async Task A_full_artifact_store_is_not_ready_and_a_submission_is_refused_with_507_naming_the_store()
    {
        // The artifact store on a volume of its own, as an operator would give it; the database stays writable.
        using var home = new TempDirectory("forgeline-data");
        await using var disk = await SmallDisk.MountAsync(24, at: home["artifacts"]);
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?>
        {
            ["FORGELINE_DATA"] = home.Path,
            ["Forgeline__Storage__MinFreeMegabytes"] = "8",
        });
        using var http = new HttpClient { BaseAddress = server.Url };
        (await http.GetAsync(new Uri("readyz", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var srpm = await TestPackages.MakeSrpmAsync(server.Home["in"], "squeezed");

        await disk.FillAsync();
        using (var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative)))
        {
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            var body = await ready.Content.ReadAsStringAsync();
            body.ShouldContain("artifact store: 0 MiB free, below the floor of 8 MiB");
            body.ShouldContain("artifact store not writable");
            body.ShouldNotContain("data directory", Case.Sensitive, "the data directory has room");
            body.ShouldNotContain(home.Path, Case.Sensitive, "the answer is public: no server paths");
        }

        var (code, _, stderr) = await server.CliAsync("build", srpm);
        code.ShouldBe(1, stderr);
        stderr.ShouldContain("Insufficient storage: The server's artifact store is full");
        // The operator's log names the request (and, in the reason, the file).
        await server.Process.WaitForOutputAsync("The artifact store is full: POST /api/v1/uploads", TimeSpan.FromSeconds(10));
        Directory.GetFiles(Path.Combine(disk.Path, "tmp")).ShouldBeEmpty("the half-written upload is removed");

        disk.Free();
        (await http.GetAsync(new Uri("readyz", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.SubmitAsync(srpm)).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_full_data_disk_with_the_database_on_it_is_refused_with_507_and_the_server_recovers()
    {
        await using var disk = await SmallDisk.MountAsync(48);
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, OnDisk(disk));
        using var http = new HttpClient { BaseAddress = server.Url };
        var srpm = await TestPackages.MakeSrpmAsync(server.Home["in"], "squeezed");

        await disk.FillAsync();
        using (var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative)))
        {
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            var body = await ready.Content.ReadAsStringAsync();
            body.ShouldContain("data directory: 0 MiB free, below the floor of 8 MiB");
            body.ShouldNotContain("artifact store: 0 MiB", Case.Sensitive, "the artifact store is on the same filesystem: reported once");
        }

        var (code, _, stderr) = await server.CliAsync("build", srpm);
        code.ShouldBe(1, stderr);
        stderr.ShouldMatch("Insufficient storage: The server's (database|artifact store) is full");
        stderr.ShouldNotContain("An error occurred");

        disk.Free();
        (await http.GetAsync(new Uri("readyz", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.SubmitAsync(srpm)).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_build_whose_results_meet_a_full_server_disk_succeeds_once_space_is_back_on_its_first_attempt()
    {
        await using var disk = await SmallDisk.MountAsync(64);
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, OnDisk(disk));
        await server.StartWorkerAsync("patient");
        var dir = TestPackages.WriteSpecDirectory(server.Home["in"], "patience", buildScript: "echo phase-one; sleep 2; echo phase-two");
        var id = await server.SubmitAsync(dir);
        await server.WaitForLogAsync(id, "phase-one");

        await disk.FillAsync();
        await server.Process.WaitForOutputAsync("The artifact store is full: PUT /api/v1/jobs/", TimeSpan.FromSeconds(60));
        // Longer than the lease: the worker's lease must survive the server's trouble.
        await Task.Delay(TimeSpan.FromSeconds(5));
        using (var client = server.Client())
        {
            (await client.GetBuildAsync(id)).State.ShouldBe("running", "the build waits for its results to be taken");
        }

        disk.Free();
        var build = await server.WaitForFinalAsync(id, TimeSpan.FromMinutes(2));
        build.State.ShouldBe("succeeded", build.Reason);
        build.Attempt.ShouldBe(1, "the server's full disk is not the build's fault");
        build.Artifacts.Count(a => a.Kind == "rpm").ShouldBe(1);
        var log = (await server.CliAsync("builds", "log", id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Stdout;
        log.ShouldContain("phase-two");
        log.ShouldContain("sending it again");
    }

    [Fact]
    public async Task A_database_that_stops_taking_writes_makes_the_server_not_ready()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseEngine.Postgres);
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?> { [DatabaseSettings.EnvironmentVariable] = database.Url });
        using var http = new HttpClient { BaseAddress = server.Url };
        (await http.GetAsync(new Uri("readyz", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // What a fail-over to a read-only standby looks like to the server: its sessions can read but not write.
        await using (var db = database.Open())
        {
            var name = db.Database.GetDbConnection().Database;
            // ALTER DATABASE takes no parameters; the name is the test database's own (letters, digits, underscores).
            var alter = "ALTER DATABASE \"" + name + "\" SET default_transaction_read_only = on";
            await db.Database.ExecuteSqlRawAsync(alter);
            await db.Database.ExecuteSqlAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = {name} AND pid <> pg_backend_pid()");
        }

        string body = "";
        for (var i = 0; i < 3 && !body.Contains("database does not accept writes", StringComparison.Ordinal); i++)
        {
            // The first request after the kill may meet a dead pooled connection; the reason is the same kind.
            using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            body = await ready.Content.ReadAsStringAsync();
        }

        body.ShouldContain("database does not accept writes");
        await server.Process.WaitForOutputAsync("read-only transaction", TimeSpan.FromSeconds(10));
    }
}
