using Spectre.Console;

namespace Forgeline.Cli;

/// <summary>
/// The CLI's Spectre.Console progress bar on stderr (uploads in bytes, signing in files); silent when stderr is not a
/// terminal, so scripts and logs get only the results.
/// </summary>
public static class CliProgress
{
    /// <summary>Runs <paramref name="work"/> with a bar that reaches <paramref name="total"/>; the work reports absolute values.</summary>
    public static async Task<T> RunAsync<T>(string label, long total, bool bytes, Func<IProgress<long>, Task<T>> work)
    {
        if (Console.IsErrorRedirected)
        {
            return await work(new Progress<long>());
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        ProgressColumn rate = bytes ? new TransferSpeedColumn() : new RemainingTimeColumn();
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), rate)
            .StartAsync(async context =>
            {
                var task = context.AddTask(label, maxValue: Math.Max(1, total));
                var result = await work(new Reporter(v => task.Value = v));
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>Adapts a per-item report to the absolute count the bar shows.</summary>
    public static IProgress<TItem> Counting<TItem>(IProgress<long> progress)
    {
        var done = 0L;
        return new ItemReporter<TItem>(() => progress.Report(Interlocked.Increment(ref done)));
    }

    private sealed class Reporter(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    private sealed class ItemReporter<TItem>(Action report) : IProgress<TItem>
    {
        public void Report(TItem value) => report();
    }
}
