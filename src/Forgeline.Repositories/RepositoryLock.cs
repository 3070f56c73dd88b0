using System.Collections.Concurrent;

namespace Forgeline.Repositories;

/// <summary>
/// The exclusive lock of one repository directory: a semaphore for publishers in this process, and flock(2) on
/// <c>.lock</c> (what .NET takes for <see cref="FileShare.None"/>) against other processes.
/// </summary>
internal sealed class RepositoryLock : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim semaphore;
    private readonly FileStream file;

    private RepositoryLock(SemaphoreSlim semaphore, FileStream file)
    {
        this.semaphore = semaphore;
        this.file = file;
    }

    /// <summary>Waits for the lock; <paramref name="waiting"/> runs once when someone else holds it.</summary>
    public static async Task<RepositoryLock> AcquireAsync(string path, Func<Task> waiting, TimeProvider time, CancellationToken cancellationToken)
    {
        var semaphore = InProcess.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        var announced = false;
        if (!await semaphore.WaitAsync(0, cancellationToken))
        {
            announced = true;
            await waiting();
            await semaphore.WaitAsync(cancellationToken);
        }

        try
        {
            while (true)
            {
                try
                {
                    return new RepositoryLock(semaphore, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process holds the flock. flock(2) cannot be awaited, so look again shortly.
                    if (!announced)
                    {
                        announced = true;
                        await waiting();
                    }

                    await Task.Delay(RetryInterval, time, cancellationToken);
                }
            }
        }
        catch
        {
            semaphore.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await file.DisposeAsync();
        semaphore.Release();
    }
}
