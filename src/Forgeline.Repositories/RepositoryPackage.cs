namespace Forgeline.Repositories;

/// <summary>One RPM that should be in a repository.</summary>
/// <param name="FileName">Its file name in the repository, e.g. <c>hello-1.0-1.fc40.noarch.rpm</c>.</param>
/// <param name="SourcePath">Where to copy (or hard-link) it from: normally a file of the content-addressed artifact store.</param>
/// <param name="Sha256">Its expected lower-case hex sha256; the file is checked against it on its way into the repository.</param>
public sealed record RepositoryPackage(string FileName, string SourcePath, string Sha256);
