namespace Forgeline.Worker;

/// <summary>A step of a job failed in an expected way (bad sources, rpmbuild error, limits); the message is the build's reason.</summary>
public sealed class JobFailedException(string reason) : Exception(reason);
