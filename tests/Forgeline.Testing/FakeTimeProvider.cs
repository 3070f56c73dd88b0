namespace Forgeline.Testing;

/// <summary>A clock tests move by hand, so lease expiry is tested without sleeping.</summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    /// <summary>A clock at 2026-01-01 UTC.</summary>
    public FakeTimeProvider() : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now;

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => now += by;
}
