using Forgeline.Builds.Coordination;

namespace Forgeline.Images.Server;

/// <summary>Wakes the image coordinator: something was asked for, or a build ended.</summary>
public sealed class ImagesSignal : WakeSignal;
