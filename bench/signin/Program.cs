// bench/signin: how long signing in to Forgeline takes a person, in Debian's Chromium against LemonLDAP::NG on loopback:
// from the sign-in button on a Forgeline page, through the provider's login form, back to Forgeline signed in (the
// authorization code exchanged, the ID token validated, the user and groups mapped, the session started). The peer is
// the same login at the provider alone (its form, then the redirect with a code to a URL nobody serves), so the ratio
// is what Forgeline's side of the round trip costs on top of the provider's own.
// Usage: dotnet SignIn.dll [ROUNDS]   (default 20, after 3 warm-up rounds of each)
using System.Diagnostics;
using System.Globalization;
using Forgeline.Core;
using Forgeline.Testing;
using Microsoft.Playwright;

var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var port = ForgelineServer.FreePort();
const string Provider = "community";
// The peer's redirect target: a bare listener answering "ok", so the peer pays for no page of ours (and no request
// interception in the browser, which would slow every request of the provider's pages).
var peerPort = ForgelineServer.FreePort();
var PeerRedirect = $"http://127.0.0.1:{peerPort}/peer-callback";
using var peerListener = new System.Net.HttpListener();
peerListener.Prefixes.Add($"http://127.0.0.1:{peerPort}/");
peerListener.Start();
_ = Task.Run(async () =>
{
    while (peerListener.IsListening)
    {
        var context = await peerListener.GetContextAsync();
        context.Response.StatusCode = 200;
        await context.Response.OutputStream.WriteAsync("ok"u8.ToArray());
        context.Response.Close();
    }
});
Console.WriteLine("starting LemonLDAP::NG, forgeline server and Chromium …");
await using var idp = await OidcProvider.StartAsync([$"http://127.0.0.1:{port}/signin-oidc/{Provider}", PeerRedirect]);
var prefix = $"Forgeline__Accounts__Providers__{Provider}__";
await using var server = await ForgelineServer.StartOnPortAsync(port, embeddedWorker: false, new Dictionary<string, string?>
{
    [prefix + "Issuer"] = idp.Issuer, [prefix + "ClientId"] = idp.ClientId, [prefix + "ClientSecret"] = idp.ClientSecret,
    [prefix + "RequireHttps"] = "false",
});
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
var user = OidcProvider.SigReleaseMember;

async Task<double> ForgelineAsync()
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.Url.ToString() });
    var page = await context.NewPageAsync();
    await page.GotoAsync("/account/signin");
    var clock = Stopwatch.StartNew();
    await page.ClickAsync($"a.provider[data-provider={Provider}]");
    await FillAsync(page);
    await Assertions.Expect(page.Locator("#account-link")).ToHaveTextAsync(user.Login);
    return clock.Elapsed.TotalMilliseconds;
}

async Task<double> PeerAsync()
{
    await using var context = await browser.NewContextAsync();
    var page = await context.NewPageAsync();
    var challenge = Pkce.ChallengeOf(Pkce.NewVerifier());
    var clock = Stopwatch.StartNew();
    // Commit only: the Forgeline side does not wait for the form page to finish loading either, it fills it when it is there.
    await page.GotoAsync($"{idp.Issuer}/oauth2/authorize?response_type=code&client_id={idp.ClientId}&scope=openid%20profile%20email&redirect_uri={Uri.EscapeDataString(PeerRedirect)}&state=s&nonce=n&code_challenge={challenge}&code_challenge_method=S256", new() { WaitUntil = WaitUntilState.Commit });
    await FillAsync(page);
    await page.WaitForURLAsync(u => u.StartsWith(PeerRedirect, StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });
    return clock.Elapsed.TotalMilliseconds;
}

async Task FillAsync(IPage page)
{
    await page.FillAsync(OidcProvider.UserFieldSelector, user.Login);
    await page.FillAsync(OidcProvider.PasswordFieldSelector, user.Password);
    await page.ClickAsync(OidcProvider.SubmitButtonSelector);
}

for (var i = 0; i < 3; i++)
{
    await ForgelineAsync();
    await PeerAsync();
}

var forgeline = new List<double>();
var peer = new List<double>();
for (var i = 0; i < rounds; i++)
{
    // Interleaved, so both see the same machine load.
    forgeline.Add(await ForgelineAsync());
    peer.Add(await PeerAsync());
    Console.WriteLine($"round {i + 1}/{rounds}: forgeline {forgeline[^1]:0} ms, provider alone {peer[^1]:0} ms");
}

double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
double P90(List<double> values) => values.Order().ElementAt((int)Math.Ceiling(values.Count * 0.9) - 1);
var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"RESULT sign-in round trip median = {Median(forgeline):0} ms; peer provider login alone = {Median(peer):0} ms; ratio {Median(forgeline) / Median(peer):0.00}; goal reported (no figure set)"));
Console.WriteLine(string.Create(inv, $"RESULT sign-in round trip p90 = {P90(forgeline):0} ms; peer provider login alone = {P90(peer):0} ms; ratio {P90(forgeline) / P90(peer):0.00}; goal reported (no figure set)"));
