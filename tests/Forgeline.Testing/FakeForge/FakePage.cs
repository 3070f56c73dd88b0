namespace Forgeline.Testing;

/// <summary>One page of a list the fake answers with.</summary>
/// <param name="Items">The page's items.</param>
/// <param name="Number">Its number, from 1.</param>
/// <param name="PerPage">The page size.</param>
/// <param name="LastPage">The number of the last page.</param>
/// <param name="Total">How many items there are in all.</param>
internal sealed record FakePage<T>(IReadOnlyList<T> Items, int Number, int PerPage, int LastPage, int Total)
{
    /// <summary>Whether a page follows this one.</summary>
    public bool HasNext => Number < LastPage;
}
