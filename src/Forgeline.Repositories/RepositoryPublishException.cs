namespace Forgeline.Repositories;

/// <summary>
/// A publish failed (a package that does not match its digest, createrepo_c missing or failing, a signer that returned no
/// signature); the repository still serves what it served before.
/// </summary>
public sealed class RepositoryPublishException : Exception
{
    /// <summary>An exception with a message that says what was wrong and what to do.</summary>
    public RepositoryPublishException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with a message and the error that caused it.</summary>
    public RepositoryPublishException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Parameterless form required by the exception design guidelines.</summary>
    public RepositoryPublishException()
    {
    }
}
