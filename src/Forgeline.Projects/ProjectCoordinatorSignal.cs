using Forgeline.Builds.Coordination;

namespace Forgeline.Projects;

/// <summary>Wakes the project coordinator: a batch was planned or a build ended.</summary>
public sealed class ProjectCoordinatorSignal : WakeSignal;
