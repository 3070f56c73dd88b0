namespace Forgeline.Worker.Roots;

/// <summary>What a worker that builds in targets' roots shares between its jobs.</summary>
/// <param name="Cache">Its cache of base roots and downloaded RPMs.</param>
/// <param name="Http">Reads the targets' repository metadata.</param>
/// <param name="Server">The Forgeline server, whose own repositories (the project's) roots layer on top.</param>
/// <param name="Token">The worker's token: dnf reads the project's repository with it (private projects).</param>
public sealed record BuildRootHost(RootCache Cache, HttpClient Http, Uri? Server, string? Token);
