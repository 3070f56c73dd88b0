using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Forgeline.Core;
using Forgeline.Core.Accounts;
using Forgeline.Core.Client;

namespace Forgeline.Cli;

/// <summary>
/// <c>forgeline login</c>: with <c>--token</c>, checks it and saves it; without, signs in through the browser (a loopback
/// redirect with PKCE, as <c>gh auth login</c> and <c>az login</c> do) and saves the personal token it gets.
/// </summary>
public static class LoginCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var noBrowser = new Option<bool>("--no-browser") { Description = "Only print the sign-in URL; do not try to open a browser" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the browser sign-in", DefaultValueFactory = _ => 300 };
        var command = new Command("login", "Sign in (in the browser, or with --token) and remember the server and token in ~/.config/forgeline/config.json")
        {
            noBrowser, timeout,
        };
        command.SetAction((parse, cancellationToken) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var settings = CliSettings.Resolve(parse);
            // A token given as --token or FORGELINE_TOKEN is checked and saved; otherwise sign in through the browser.
            var given = parse.GetValue(ForgelineCommandLine.TokenOption) ?? Environment.GetEnvironmentVariable("FORGELINE_TOKEN");
            if (given is not { Length: > 0 })
            {
                var token = await BrowserLoginAsync(client, parse.GetValue(noBrowser), TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellationToken);
                settings = settings with { Token = token };
            }

            using var checkedClient = settings.CreateClient();
            var who = await checkedClient.MeAsync(cancellationToken);
            settings.Save();
            Console.WriteLine($"Logged in to {checkedClient.Server} as {who.Name} ({string.Join(", ", who.Scopes)}); saved to {CliSettings.FilePath}");
            return 0;
        }));
        return command;
    }

    private static async Task<string> BrowserLoginAsync(ForgelineClient client, bool noBrowser, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var verifier = Pkce.NewVerifier();
        var challenge = Pkce.ChallengeOf(verifier);
        var state = Base64Url.Encode(RandomNumberGenerator.GetBytes(16));
        var port = FreeLoopbackPort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var name = "cli-" + new string(Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.').Take(40).ToArray());
        var url = new Uri(client.Server, $"account/cli?port={port}&state={state}&codechallenge={challenge}&name={Uri.EscapeDataString(name)}");
        Console.WriteLine("Sign in to Forgeline in your browser:");
        Console.WriteLine($"  {url}");
        if (!noBrowser)
        {
            TryOpenBrowser(url);
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        waiting.CancelAfter(timeout);
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().WaitAsync(waiting.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException($"no sign-in came back within {timeout.TotalSeconds:0} s; run 'forgeline login' again (or use --token)");
            }

            var query = context.Request.QueryString;
            if (context.Request.Url?.AbsolutePath != "/callback" || query["state"] != state || query["code"] is not { Length: > 0 } code)
            {
                // Not our answer (a stray request, or a state that is not ours): keep waiting for the real one.
                await AnswerAsync(context, HttpStatusCode.BadRequest, "This is not the answer forgeline login is waiting for.");
                continue;
            }

            await AnswerAsync(context, HttpStatusCode.OK, "Signed in. You can close this window and go back to the terminal.");
            var created = await client.ExchangeLoginCodeAsync(new LoginCodeExchange(code, verifier), cancellationToken);
            return created.Token;
        }
    }

    private static async Task AnswerAsync(HttpListenerContext context, HttpStatusCode status, string text)
    {
        var body = Encoding.UTF8.GetBytes($"<!DOCTYPE html><meta charset=utf-8><title>Forgeline</title><p>{WebUtility.HtmlEncode(text)}</p>");
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    private static void TryOpenBrowser(Uri url)
    {
        try
        {
            using var _ = Process.Start(new ProcessStartInfo("xdg-open", url.ToString()) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No desktop here: the printed URL is the way.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
