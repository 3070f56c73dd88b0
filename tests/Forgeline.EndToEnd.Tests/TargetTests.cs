using System.Net;
using Forgeline.Core.Signing;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary><c>forgeline server --targets</c>: a process runs only the parts it is asked to, e.g. a signer on its own.</summary>
public sealed class TargetTests
{
    [Fact]
    public async Task A_signer_only_server_signs_and_serves_nothing_of_the_build_farm()
    {
        await using var signer = await ForgelineServer.StartAsync(embeddedWorker: false, settings: null, "--targets", "signer");
        using var admin = signer.Client();
        var key = await admin.CreateKeyAsync(new CreateKeyRequest("alone", "openpgp", "ed25519", UserId: "Alone <alone@example.invalid>"));
        key.Name.ShouldBe("alone");
        var srpm = await TestPackages.MakeSrpmAsync(signer.Home["in"], "lonely");
        (await signer.CliAsync("sign", "rpm", "--key", "alone", srpm)).ExitCode.ShouldBe(0);

        using var http = new HttpClient { BaseAddress = signer.Url };
        (await http.GetAsync("api/v1/builds")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await http.GetAsync("workers")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await http.GetAsync("keys")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetStringAsync("healthz")).ShouldBe("ok\n");
    }

    [Fact]
    public async Task An_unknown_target_is_refused_at_start()
    {
        using var home = new TempDirectory();
        var (code, _, stderr) = await ProcessRunner.RunAsync("dotnet", [ForgelineBinary.DllPath, "server", "--targets", "api,sorcerer", "--data", home["data"]]);
        code.ShouldBe(2);
        stderr.ShouldContain("unknown target 'sorcerer'");
    }
}
