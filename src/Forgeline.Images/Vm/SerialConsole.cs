using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Forgeline.Images.Vm;

/// <summary>
/// A VM's serial console as a test drives it (QEMU's <c>-chardev socket</c>; any pair of byte streams): everything the
/// guest prints is kept as the job's log; a test waits for text, types, and runs commands whose exit status comes back
/// as a marker line. The typed line holds <c>$?</c>, never the digits, so its echo cannot be taken for the marker.
/// </summary>
public sealed partial class SerialConsole : IAsyncDisposable
{
    private readonly Stream output;
    private readonly Stream input;
    private readonly StringBuilder log = new();
    private readonly Lock gate = new();
    private readonly Task reading;
    private readonly CancellationTokenSource stop = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int cursor;
    private int markers;

    /// <summary>Reads the guest's <paramref name="output"/> and types into its <paramref name="input"/> (the same stream for a socket).</summary>
    public SerialConsole(Stream output, Stream input, IProgress<string>? lines = null)
    {
        this.output = output;
        this.input = input;
        reading = Task.Run(() => ReadAsync(lines));
    }

    /// <summary>Everything the guest printed so far.</summary>
    public string Log
    {
        get
        {
            lock (gate)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>Whether the guest's side has closed (the VM ended): nothing more will arrive.</summary>
    public bool Closed => reading.IsCompleted;

    /// <summary>Waits until <paramref name="text"/> appears after what earlier steps consumed; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        await WaitForMatchAsync(new Regex(Regex.Escape(text), RegexOptions.CultureInvariant), timeout, $"'{text}'", cancellationToken);

    /// <summary>Types <paramref name="text"/> as is.</summary>
    public async Task TypeAsync(string text, CancellationToken cancellationToken = default)
    {
        await input.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await input.FlushAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="command"/> in the guest's shell and returns its exit status.</summary>
    public async Task<int> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (command.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("a command is one line", nameof(command));
        }

        var marker = $"FL-RC-{Interlocked.Increment(ref markers).ToString(CultureInfo.InvariantCulture)}";
        await TypeAsync($"{command}; echo \"{marker}=$?\"\n", cancellationToken);
        var match = await WaitForMatchAsync(new Regex(Regex.Escape(marker) + @"=(\d+)", RegexOptions.CultureInvariant), timeout, $"the end of '{command}'", cancellationToken);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Fetches a file from the guest (base64 over the console), e.g. its JUnit results.</summary>
    public async Task<byte[]> FetchAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var marker = $"FL-FILE-{Interlocked.Increment(ref markers).ToString(CultureInfo.InvariantCulture)}";
        // The markers are printed in two halves, so the typed line never contains them whole.
        await TypeAsync($"echo \"{marker}\"'-BEGIN'; base64 '{path.Replace("'", "'\\''", StringComparison.Ordinal)}'; echo \"{marker}\"'-END='\"$?\"\n", cancellationToken);
        var match = await WaitForMatchAsync(
            new Regex(Regex.Escape(marker) + @"-BEGIN\r?\n(?<data>[\s\S]*?)" + Regex.Escape(marker) + @"-END=(?<rc>\d+)", RegexOptions.CultureInvariant),
            timeout, $"the file {path}", cancellationToken);
        if (match.Groups["rc"].Value != "0")
        {
            var said = match.Groups["data"].Value.Trim();
            throw new SerialConsoleException($"the guest could not read {path}{(said.Length > 0 ? ": " + said.Split('\n')[0].TrimEnd('\r') : "")}");
        }

        return Convert.FromBase64String(match.Groups["data"].Value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await reading.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    private async Task<Match> WaitForMatchAsync(Regex pattern, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            Task next;
            lock (gate)
            {
                var match = pattern.Match(log.ToString(), cursor);
                if (match.Success)
                {
                    cursor = match.Index + match.Length;
                    return match;
                }

                if (reading.IsCompleted)
                {
                    throw new SerialConsoleException($"the console closed while waiting for {what}");
                }

                next = changed.Task;
            }

            try
            {
                await Task.WhenAny(next, reading).WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SerialConsoleException($"waited {timeout.TotalSeconds:0} s for {what}");
            }
        }
    }

    private async Task ReadAsync(IProgress<string>? lines)
    {
        var buffer = new byte[16 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        var line = new StringBuilder();
        try
        {
            int read;
            while ((read = await output.ReadAsync(buffer, stop.Token)) > 0)
            {
                var chars = new char[decoder.GetCharCount(buffer, 0, read)];
                decoder.GetChars(buffer, 0, read, chars, 0);
                lock (gate)
                {
                    log.Append(chars);
                    var previous = changed;
                    changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    previous.TrySetResult();
                }

                foreach (var c in chars)
                {
                    if (c == '\n')
                    {
                        lines?.Report(line.ToString().TrimEnd('\r'));
                        line.Clear();
                    }
                    else
                    {
                        line.Append(c);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (gate)
            {
                changed.TrySetResult();
            }
        }
    }
}

/// <summary>A console step that did not happen: a timeout, a closed console, a file the guest could not read.</summary>
public sealed class SerialConsoleException(string message) : Exception(message);
