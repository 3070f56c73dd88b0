using Forgeline.Cli;
using Spectre.Console;

if (Console.IsOutputRedirected)
{
    // Piped output is read by scripts and tests: no wrapping at an imagined 80 columns.
    AnsiConsole.Profile.Width = 240;
}

return await ForgelineCommandLine.Create().Parse(args).InvokeAsync();
