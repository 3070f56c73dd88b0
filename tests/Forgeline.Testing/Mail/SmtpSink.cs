using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Forgeline.Testing.Mail;

/// <summary>
/// A real SMTP server on loopback: Debian's python3-aiosmtpd (<c>python3 -m aiosmtpd</c> with its <c>Mailbox</c>
/// handler) on a free port, delivering every message for every recipient into a Maildir under a temp directory. The
/// handler writes the message file before the server answers <c>250</c> to the data, so a message is readable as soon
/// as the client's send returns. As root it runs as <c>nobody</c> (setpriv), owning only its temp directory. Stopped by
/// its own pid on dispose. Needs the package (scripts/install-deps); without it, starting throws rather than skipping.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    // Debian's python3, the one that sees python3-aiosmtpd (a pyenv python3 may come first on PATH).
    private const string Python = "/usr/bin/python3";
    private readonly TempDirectory home;
    private readonly Process process;
    private readonly StringBuilder output = new();

    private SmtpSink(TempDirectory home, Process process, int port)
    {
        this.home = home;
        this.process = process;
        Port = port;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The address it listens on.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Its port on <see cref="Host"/>.</summary>
    public int Port { get; }

    /// <summary>The Maildir messages are delivered to; each lands in its <c>new</c> directory.</summary>
    public string Maildir => home["Maildir"];

    /// <summary>What the server printed so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a server and waits until it accepts connections; <paramref name="maxMessageBytes"/>, when given, is the
    /// size it advertises (<c>SIZE</c>) and refuses bigger messages with a <c>552</c>.
    /// </summary>
    public static async Task<SmtpSink> StartAsync(int? maxMessageBytes = null)
    {
        var home = new TempDirectory("forgeline-smtp");
        var port = FreePort();
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = home.Path };
        if (Environment.IsPrivilegedProcess)
        {
            // setpriv execs python, so the pid started is the server's own.
            await ProcessRunner.RunCheckedAsync("chown", "nobody:nogroup", home.Path);
            start.FileName = "setpriv";
            foreach (var arg in new[] { "--reuid=nobody", "--regid=nogroup", "--clear-groups", Python })
            {
                start.ArgumentList.Add(arg);
            }
        }
        else
        {
            start.FileName = Python;
        }

        // -n: do not try to switch to nobody itself (setpriv did, or we are not root).
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}" })
        {
            start.ArgumentList.Add(arg);
        }

        if (maxMessageBytes is { } size)
        {
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var arg in new[] { "-c", "aiosmtpd.handlers.Mailbox", home["Maildir"] })
        {
            start.ArgumentList.Add(arg);
        }

        var sink = new SmtpSink(home, Process.Start(start) ?? throw new InvalidOperationException("could not start aiosmtpd"), port);
        try
        {
            await sink.WaitUntilListeningAsync();
            return sink;
        }
        catch
        {
            await sink.DisposeAsync();
            throw;
        }
    }

    /// <summary>The message files delivered so far, oldest first.</summary>
    public IReadOnlyList<string> MessageFiles()
    {
        var delivered = Path.Combine(Maildir, "new");
        return Directory.Exists(delivered)
            ? [.. new DirectoryInfo(delivered).GetFiles().OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).Select(f => f.FullName)]
            : [];
    }

    /// <summary>The messages delivered so far, oldest first, parsed with MimeKit.</summary>
    public async Task<IReadOnlyList<MimeMessage>> MessagesAsync()
    {
        var messages = new List<MimeMessage>();
        foreach (var file in MessageFiles())
        {
            messages.Add(await MimeMessage.LoadAsync(file));
        }

        return messages;
    }

    /// <summary>
    /// Waits until a message whose Message-Id is <paramref name="messageId"/> is in the Maildir and returns its file;
    /// throws after <paramref name="timeout"/> (5 s if not given). Polls every millisecond, so it also times delivery.
    /// </summary>
    public async Task<string> WaitForFileAsync(string messageId, TimeSpan? timeout = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(5)))
        {
            foreach (var file in MessageFiles().Where(seen.Add))
            {
                if (await MessageIdOfAsync(file) == messageId)
                {
                    return file;
                }
            }

            await Task.Delay(1);
        }

        throw new TimeoutException($"no message <{messageId}> arrived in {Maildir}; the server said: {Output}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                // Its own pid only: SIGKILL to the python that setpriv became.
                process.Kill(entireProcessTree: false);
            }

            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        home.Dispose();
    }

    private static async Task<string?> MessageIdOfAsync(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            var headers = await HeaderList.LoadAsync(stream);
            return MimeKit.Utils.MimeUtils.EnumerateReferences(headers[HeaderId.MessageId] ?? "").FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (!process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(20);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException(
                    $"aiosmtpd is not listening on 127.0.0.1:{Port}{(process.HasExited ? $" (it exited with {process.ExitCode})" : "")}: {Output}", e);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
