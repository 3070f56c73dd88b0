namespace Forgeline.Core.Workers;

/// <summary>An RPM a build needs installed in its build environment: a package of the same project, built earlier.</summary>
/// <param name="FileName">The RPM's file name.</param>
/// <param name="Sha256">The digest it is stored under on the server (the worker downloads and checks it).</param>
public sealed record JobDependency(string FileName, string Sha256);
