using System.Diagnostics;
using System.Text;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// What a person sees when starting <c>forgeline server</c>: bad settings stop it at once with the setting's name, the console
/// log is readable at a terminal and JSON elsewhere, and the session key ring is sealed on disk without a warning.
/// </summary>
public sealed partial class ServerStartupTests
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        // Cross-field checks (IValidateOptions), one per options class that has them.
        { "Forgeline__Builds__RetryBackoffSeconds", "600", "Forgeline:Builds:RetryBackoffSeconds (600) is larger than Forgeline:Builds:MaxRetryBackoffSeconds (300)" },
        { "Forgeline__Builds__ReapIntervalSeconds", "120", "Forgeline:Builds:ReapIntervalSeconds (120) must be shorter than Forgeline:Builds:LeaseSeconds (60)" },
        { "Forgeline__Events__AllowedTargets__0", "10.0.0.0/33", "Forgeline:Events:AllowedTargets:0 ('10.0.0.0/33') must be a network in CIDR form" },
        { "Forgeline__Events__ClaimSeconds", "5", "Forgeline:Events:ClaimSeconds (5) must be longer than Forgeline:Events:TimeoutSeconds (10)" },
        { "Forgeline__Projects__PublicUrl", "build.example.org", "Forgeline:Projects:PublicUrl must be an http(s) URL" },
        { "Forgeline__Signing__Kms__Provider", "vault", "Forgeline:Signing:Kms:Provider must be 'file' or 'pkcs11' (got 'vault')" },
        { "Forgeline__Accounts__AdminGroup", "Admins Group", "Forgeline:Accounts:AdminGroup must be" },
        { "Forgeline__Targets__oe__Arch", "amd64", "Forgeline:Targets:oe: 'amd64' is not an architecture a target can build for" },
        // A single field out of range (data annotations) names the member.
        { "Forgeline__Builds__LeaseSeconds", "1", "LeaseSeconds" },
        { "Forgeline__Storage__MinFreeMegabytes", "-1", "MinFreeMegabytes" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_server_at_start_naming_the_setting(string variable, string value, string message)
    {
        using var home = new TempDirectory();
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("dotnet", [ForgelineBinary.DllPath, "server", "--no-worker", "--urls", "http://127.0.0.1:0", "--data", home["data"]],
            home.Path, new Dictionary<string, string?> { [variable] = value, ["DOTNET_NOLOGO"] = "1" }, TimeSpan.FromMinutes(2));

        code.ShouldBe(2, stdout + stderr);
        stderr.ShouldContain("forgeline: invalid configuration: ");
        stderr.ShouldContain(message);
        stderr.ShouldNotContain("Forgeline is listening");
        stderr.ShouldNotContain("   at ", Case.Sensitive, "one line naming the setting, not a stack trace");
    }

    [Fact]
    public async Task An_unknown_log_format_stops_the_server_naming_the_flag()
    {
        using var home = new TempDirectory();
        var (code, _, stderr) = await ProcessRunner.RunAsync("dotnet", [ForgelineBinary.DllPath, "server", "--log-format", "yaml", "--data", home["data"]], home.Path);
        code.ShouldBe(2);
        stderr.ShouldContain("--log-format must be text or json, not 'yaml'");
    }

    [Fact]
    public async Task Logs_are_json_lines_when_stdout_is_not_a_terminal_and_text_with_log_format_text()
    {
        // The console logger writes from its own thread: the host's lines may come after the server already answers.
        await using (var json = await ForgelineServer.StartAsync(embeddedWorker: false))
        {
            await json.Process.WaitForOutputAsync("Now listening on:");
            var lines = LogLines(json.Process.Output);
            lines.ShouldContain(l => l.StartsWith("{\"Timestamp\":", StringComparison.Ordinal) && l.Contains("\"Category\":\"Microsoft.Hosting.Lifetime\"", StringComparison.Ordinal), json.Process.Output);
        }

        await using var text = await ForgelineServer.StartAsync(false, null, "--log-format", "text");
        await text.Process.WaitForOutputAsync("Now listening on:");
        text.Process.Output.ShouldContain("info: Microsoft.Hosting.Lifetime[");
        LogLines(text.Process.Output).ShouldNotContain(l => l.StartsWith('{'), text.Process.Output);
    }

    [Fact]
    public async Task At_a_terminal_logs_are_text_unless_log_format_json_is_given()
    {
        var atTerminal = await RunAtTerminalAsync();
        atTerminal.ShouldContain("Microsoft.Hosting.Lifetime[");
        atTerminal.ShouldContain("Now listening on: http://127.0.0.1:");
        LogLines(atTerminal).ShouldNotContain(l => l.StartsWith('{'), atTerminal);

        var forcedJson = await RunAtTerminalAsync("--log-format", "json");
        LogLines(forcedJson).ShouldContain(l => l.StartsWith("{\"Timestamp\":", StringComparison.Ordinal), forcedJson);
    }

    [Fact]
    public async Task The_session_key_ring_is_sealed_on_disk_and_read_again_after_a_restart_without_warnings()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        using var http = new HttpClient();
        // Data protection loads (or makes) its key ring as the server starts.
        (await http.GetAsync(server.Url)).EnsureSuccessStatusCode();
        var keyFiles = Directory.GetFiles(server.Home["data/session-keys"], "*.xml");
        keyFiles.ShouldNotBeEmpty();
        foreach (var file in keyFiles)
        {
            var xml = await File.ReadAllTextAsync(file);
            xml.ShouldContain("<forgelineSealedKey");
            xml.ShouldNotContain("<masterKey", Case.Sensitive, "the key's secret is not on disk in plain text");
        }

        var keyFile = server.Home["data/session-keys.key"];
        new FileInfo(keyFile).Length.ShouldBe(32);
        File.GetUnixFileMode(keyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        (await server.Process.StopAsync()).ShouldBe(0);
        await server.StartProcessAsync();
        (await http.GetAsync(server.Url)).EnsureSuccessStatusCode();
        Directory.GetFiles(server.Home["data/session-keys"], "*.xml").Length.ShouldBe(keyFiles.Length, "the sealed key was read again, not replaced");
        server.Process.Output.ShouldNotContain("No XML encryptor configured");
        server.Process.Output.ShouldNotContain("exception occurred while processing the key element");
    }

    [Fact]
    public async Task No_page_or_error_shows_a_visitor_a_server_path_but_an_admin_sees_the_bot_configuration_path()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        var data = server.Home["data"];
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        foreach (var page in new[] { "", "bot", "builds/1", "keys", "projects", "projects/none", "queue", "signatures", "workers", "account/signin", "account/cli", "readyz", "metrics", "no-such-page" })
        {
            using var response = await anonymous.GetAsync(page);
            (await response.Content.ReadAsStringAsync()).ShouldNotContain(data, Case.Sensitive, $"/{page} ({(int)response.StatusCode})");
        }

        // The bot has no bot.yaml: a webhook is refused without saying where the file was looked for.
        using (var hook = await anonymous.PostAsync("hooks/github", new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            hook.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
            var body = await hook.Content.ReadAsStringAsync();
            body.ShouldContain("not configured");
            body.ShouldNotContain(data);
        }

        // An artifact store that cannot be written: /readyz says so, the reason with its path goes to the log only.
        Directory.Delete(server.Home["data/artifacts/tmp"], recursive: true);
        await File.WriteAllTextAsync(server.Home["data/artifacts/tmp"], "not a directory");
        using (var ready = await anonymous.GetAsync("readyz"))
        {
            ready.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
            var body = await ready.Content.ReadAsStringAsync();
            body.ShouldContain("artifact store not writable");
            body.ShouldNotContain(data);
        }

        await server.Process.WaitForOutputAsync("Not ready: the artifact store is not writable: ");
        server.Process.Output.ShouldContain(server.Home["data/artifacts/tmp"]);

        using var admin = new HttpClient { BaseAddress = server.Url };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", server.AdminToken);
        (await admin.GetStringAsync("bot")).ShouldContain(Path.Combine(data, "bot.yaml"));
    }

    // What a terminal shows: .NET switches the keypad mode (ESC [?1h ESC =) before its first write to a terminal, which
    // lands in front of whichever line comes first.
    private static string[] LogLines(string output) =>
        TerminalControls().Replace(output, "").Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith("Forgeline is", StringComparison.Ordinal)
            && !l.StartsWith("Admin token", StringComparison.Ordinal) && !l.StartsWith("The admin token", StringComparison.Ordinal)
            && !l.StartsWith("  flt_", StringComparison.Ordinal) && !l.StartsWith("Log in with", StringComparison.Ordinal)).ToArray();

    /// <summary>Starts the server under <c>script</c>, so its stdout is a pseudo-terminal, and returns what it printed up to its banner.</summary>
    private static async Task<string> RunAtTerminalAsync(params string[] extra)
    {
        using var home = new TempDirectory();
        var command = string.Join(' ', new[] { "dotnet", ForgelineBinary.DllPath, "server", "--no-worker", "--urls", $"http://127.0.0.1:{ForgelineServer.FreePort()}", "--data", home["data"] }
            .Concat(extra).Select(a => $"'{a}'"));
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-qfec", command, "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("FORGELINE_LOG_FORMAT");
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var buffer = new char[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            // Both the banner and the host's own line (the console logger writes it from its own thread, maybe later).
            while (!output.ToString().Contains("Forgeline is listening", StringComparison.Ordinal) || !output.ToString().Contains("Now listening on:", StringComparison.Ordinal))
            {
                var read = await process.StandardOutput.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                output.Append(buffer, 0, read);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        output.ToString().ShouldContain("Forgeline is listening");
        return output.ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b(\[[?0-9;]*[A-Za-z]|[=>])")]
    private static partial System.Text.RegularExpressions.Regex TerminalControls();
}
