using Spectre.Console;

namespace Forgeline.Cli;

/// <summary>A Spectre.Console progress bar on stderr for uploads and downloads; silent when stderr is not a terminal.</summary>
public static class TransferProgress
{
    /// <summary>Runs <paramref name="transfer"/> with a bar of <paramref name="total"/> bytes.</summary>
    public static async Task<T> RunAsync<T>(string label, long total, Func<IProgress<long>, Task<T>> transfer)
    {
        if (Console.IsErrorRedirected)
        {
            return await transfer(new Progress<long>());
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(label, maxValue: Math.Max(1, total));
                var result = await transfer(new SyncProgress(v => task.Value = v));
                task.Value = task.MaxValue;
                return result;
            });
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
