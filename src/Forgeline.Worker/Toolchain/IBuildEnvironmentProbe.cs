namespace Forgeline.Worker.Toolchain;

/// <summary>Gathers the facts the build environment's fingerprint is made of.</summary>
public interface IBuildEnvironmentProbe
{
    /// <summary>Reads them (from the host, or from wherever a test says).</summary>
    Task<BuildEnvironmentFacts> GatherAsync(CancellationToken cancellationToken);
}
