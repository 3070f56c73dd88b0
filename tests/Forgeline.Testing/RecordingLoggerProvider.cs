using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Forgeline.Testing;

/// <summary>Keeps every log entry at or above a level, to assert what a component did or did not log.</summary>
public sealed class RecordingLoggerProvider(LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> entries = new();

    /// <summary>The lowest level kept.</summary>
    public LogLevel Minimum { get; } = minimum;

    /// <summary>What was logged, in order.</summary>
    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. entries];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.entries.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
