namespace Forgeline.Worker;

/// <summary>
/// A job could not run for a reason that is not the package's fault (sources not downloadable, network down during a
/// clone, sandbox not starting, disk full); the server queues it again. The message is the reason.
/// </summary>
public sealed class JobErrorException(string reason, Exception? inner = null) : Exception(reason, inner);
