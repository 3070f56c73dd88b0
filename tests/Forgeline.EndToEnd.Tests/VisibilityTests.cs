using System.Net;
using System.Net.Http.Headers;
using Forgeline.Core.Accounts;
using Forgeline.Core.Tokens;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>Who sees what: builds of a private project, the signature audit trail, and group members of a project.</summary>
public sealed class VisibilityTests
{
    [Fact]
    public async Task Builds_of_a_private_project_are_not_there_for_visitors_and_outsiders_but_are_for_members_through_a_group()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        using var admin = server.Client();
        var alice = (await admin.CreateTokenAsync(new CreateTokenRequest("alice", ["build"]))).Token;
        var outsider = (await admin.CreateTokenAsync(new CreateTokenRequest("outsider", ["build"]))).Token;
        await admin.CreateGroupAsync(new CreateGroupRequest("sig-secret"));
        var member = (await admin.CreateTokenAsync(new CreateTokenRequest("sig-bot", ["build"], Owner: "sig-secret"))).Token;
        (await server.CliAsync(["project", "create", "hidden", "--public", "false"], alice)).ExitCode.ShouldBe(0);
        (await server.CliAsync(["project", "add-package", "hidden", "pkg", ProjectSpecs.Write(server.Home["in"], "pkg")], alice)).ExitCode.ShouldBe(0);
        (await server.CliAsync(["project", "member", "add", "hidden", "sig-secret", "builder"], alice)).ExitCode.ShouldBe(0);
        (await server.CliAsync(["build", "--project", "hidden", "pkg"], alice)).ExitCode.ShouldBe(0);
        // The project's coordinator queues the build a moment after the batch is planned.
        var id = await FirstBuildAsync(admin);

        using var anonymous = new HttpClient { BaseAddress = server.Url };
        (await anonymous.GetAsync($"/api/v1/builds/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync($"/api/v1/builds/{id}/log")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync($"/builds/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetStringAsync("/api/v1/builds")).ShouldNotContain($"\"id\": {id},");
        (await anonymous.GetStringAsync("/")).ShouldNotContain($"/builds/{id}\"");
        (await server.Client(outsider).ListBuildsAsync()).Items.ShouldBeEmpty();

        (await server.Client(alice).GetBuildAsync(id)).Id.ShouldBe(id);
        (await server.Client(member).ListBuildsAsync()).Items.ShouldHaveSingleItem().Id.ShouldBe(id);
        (await admin.GetBuildAsync(id)).Id.ShouldBe(id);
    }

    private static async Task<long> FirstBuildAsync(Core.Client.ForgelineClient admin)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if ((await admin.ListBuildsAsync(cancellationToken: timeout.Token)).Items is [var build, ..])
            {
                return build.Id;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    [Fact]
    public async Task The_signature_audit_trail_needs_a_signed_in_caller_and_shows_others_only_their_own()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        using var admin = server.Client();
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        (await anonymous.GetAsync("/api/v1/signatures")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetStringAsync("/signatures")).ShouldContain("for signed-in users");

        (await server.CliAsync("key", "create", "k", "--type", "openpgp", "--user-id", "K <k@example.org>")).ExitCode.ShouldBe(0);
        var signer = (await admin.CreateTokenAsync(new CreateTokenRequest("signer", ["sign"]))).Token;
        var other = (await admin.CreateTokenAsync(new CreateTokenRequest("other", ["sign"]))).Token;
        (await server.CliAsync("key", "allow", "k", "signer")).ExitCode.ShouldBe(0);
        var file = server.Home["in/a.txt"];
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "hello");
        (await server.CliAsync(["sign", "file", "--key", "k", file], signer)).ExitCode.ShouldBe(0);

        (await server.CliAsync(["sign", "log"], signer)).Stdout.ShouldContain("a.txt");
        (await server.CliAsync(["sign", "log"], other)).Stdout.ShouldNotContain("a.txt");
        (await server.CliAsync("sign", "log")).Stdout.ShouldContain("a.txt");
        using var authorized = new HttpClient { BaseAddress = server.Url };
        authorized.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other);
        (await authorized.GetStringAsync("/api/v1/signatures")).ShouldBe("[]");
    }
}
