namespace Forgeline.Core.Projects;

/// <summary>Reads what a package's spec says (names, versions, build requirements, provides) without building it.</summary>
public interface ISpecReader
{
    /// <summary>Reads the spec of <paramref name="request"/>; throws <see cref="SpecReadException"/> when it cannot.</summary>
    Task<SpecFacts> ReadAsync(SpecReadRequest request, CancellationToken cancellationToken);
}
