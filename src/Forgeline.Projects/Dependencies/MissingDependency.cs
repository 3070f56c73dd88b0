using Forgeline.Core.Projects;
using Forgeline.Rpm;

namespace Forgeline.Projects.Dependencies;

/// <summary>A build requirement that neither the project nor the build environment meets.</summary>
/// <param name="Package">The package that needs it.</param>
/// <param name="Requirement">What it needs.</param>
/// <param name="Message">For people, as dnf says it: <c>nothing provides foo &gt;= 2 needed by bar</c>, with what comes close when something does.</param>
public sealed record MissingDependency(string Package, RpmCapability Requirement, string Message);
