using Forgeline.Core.Projects;
using Forgeline.Rpm;

namespace Forgeline.Projects.Dependencies;

/// <summary><paramref name="Package"/> build-requires <paramref name="Requirement"/>, which <paramref name="DependsOn"/> provides.</summary>
public sealed record DependencyEdge(string Package, string DependsOn, RpmCapability Requirement);
