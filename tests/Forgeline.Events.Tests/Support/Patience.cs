namespace Forgeline.Events.Tests.Support;

/// <summary>How long a test waits for something that should happen: long on a busy machine, never slept away.</summary>
public static class Patience
{
    public static TimeSpan Default { get; } = TimeSpan.FromSeconds(20);
}
