using Forgeline.Testing;
using Forgeline.Testing.Playground;
using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// An environment for signed-in people, in Chromium with a real sign-in: the page asks a visitor to sign in; once
/// signed in (through the OpenID provider's own form) the start goes through the session cookie and the page's CSRF
/// token, and the sessions page lists the session and ends it.
/// </summary>
public sealed class PlaygroundSignInTests(SignInFixture fixture) : IClassFixture<SignInFixture>
{
    [Fact]
    public async Task A_visitor_is_asked_to_sign_in_and_a_signed_in_member_starts_lists_and_ends_a_session()
    {
        var image = await PlaygroundTestImage.GetAsync();
        var created = await fixture.Server.CliAsync("playground", "env", "create", "members-course", "--rootfs", image, "--title", "For members");
        created.ExitCode.ShouldBe(0, created.Stderr);
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/playground/members-course");
        await Assertions.Expect(page.Locator("#pg-signin")).ToBeVisibleAsync();

        await page.GotoAsync("/");
        await fixture.SignInAsync(page, OidcProvider.SigReleaseMember);
        await page.GotoAsync("/playground/members-course");
        await Assertions.Expect(page.Locator("#pg-status")).ToHaveTextAsync("connected", new() { Timeout = 30_000 });
        await page.Locator("#pg-terminal").ClickAsync();
        await page.Keyboard.TypeAsync("echo SIGNED''-IN\n");
        await XtermScreen.WaitForAsync(page, s => s.Split('\n').Contains("SIGNED-IN"));

        var sessions = await page.Context.NewPageAsync();
        await sessions.GotoAsync("/playground/sessions");
        var row = sessions.Locator("#sessions tbody tr", new() { HasText = "members-course" });
        await Assertions.Expect(row).ToContainTextAsync(OidcProvider.SigReleaseMember.Login, new() { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("running");
        await row.GetByRole(AriaRole.Button, new() { Name = "End" }).ClickAsync();

        await Assertions.Expect(page.Locator("#pg-status")).ToContainTextAsync("ended: ended by its owner", new() { Timeout = 30_000 });
    }
}
