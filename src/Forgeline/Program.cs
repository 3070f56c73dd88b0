using System.CommandLine;
using Forgeline.Cli;
using Spectre.Console;

if (Console.IsOutputRedirected)
{
    // Piped output is read by scripts and tests: no wrapping at an imagined 80 columns.
    AnsiConsole.Profile.Width = 240;
}

// The hosts of `server` and `worker` handle SIGTERM themselves and shut down gracefully (handing builds back),
// which can take longer than System.CommandLine's default grace period before it forces an exit.
return await ForgelineCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
