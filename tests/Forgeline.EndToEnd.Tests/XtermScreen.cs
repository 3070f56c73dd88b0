using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>What the Playground page's terminal shows, read from xterm.js's buffer (what a person sees, line by line).</summary>
internal static class XtermScreen
{
    private const string ReadScript = """
        () => {
            const term = window.forgelinePlayground?.term;
            if (!term) return '';
            const buffer = term.buffer.active;
            const lines = [];
            for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
            return lines.join('\n');
        }
        """;

    /// <summary>Waits until the screen satisfies <paramref name="condition"/> and returns it; fails after 30 s showing the screen.</summary>
    public static async Task<string> WaitForAsync(IPage page, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var screen = await page.EvaluateAsync<string>(ReadScript);
            if (condition(screen))
            {
                return screen;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the terminal never showed what was expected; it shows:\n{screen}");
            }

            await Task.Delay(100);
        }
    }
}
