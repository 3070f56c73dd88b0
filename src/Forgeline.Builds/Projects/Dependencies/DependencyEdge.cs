using Forgeline.Core.Projects;

namespace Forgeline.Builds.Projects.Dependencies;

/// <summary><paramref name="Package"/> build-requires <paramref name="Requirement"/>, which <paramref name="DependsOn"/> provides.</summary>
public sealed record DependencyEdge(string Package, string DependsOn, RpmCapability Requirement);
