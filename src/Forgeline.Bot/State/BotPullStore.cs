using Forgeline.Bot.Forges;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Bot.State;

/// <summary>Keeps <see cref="PullState"/> in the <c>bot_pulls</c> table.</summary>
public sealed class BotPullStore(ForgelineDbContext db, TimeProvider time) : IBotPullStore
{
    /// <inheritdoc />
    public async Task<PullState> GetAsync(RepoRef repo, int number, CancellationToken cancellationToken)
    {
        var forge = ForgeName(repo.Forge);
        var row = await db.BotPulls.AsNoTracking().FirstOrDefaultAsync(p => p.Forge == forge && p.Repository == repo.FullName && p.Number == number, cancellationToken);
        return row is null ? PullState.Empty : StateOf(row);
    }

    /// <inheritdoc />
    public async Task<PullState> UpdateAsync(RepoRef repo, int number, Func<PullState, PullState> change, CancellationToken cancellationToken)
    {
        var forge = ForgeName(repo.Forge);
        for (var attempt = 1; ; attempt++)
        {
            var row = await db.BotPulls.FirstOrDefaultAsync(p => p.Forge == forge && p.Repository == repo.FullName && p.Number == number, cancellationToken);
            var isNew = row is null;
            row ??= new BotPullRecord { Forge = forge, Repository = repo.FullName, Number = number };
            var state = change(StateOf(row));
            row.Approvers = string.Join(',', state.Approvers.Order(StringComparer.Ordinal));
            row.Collaborators = string.Join(',', state.Collaborators.Order(StringComparer.Ordinal));
            row.Trusted = state.Trusted;
            row.HeadSha = state.HeadSha;
            row.MergeStatus = state.MergeStatus;
            row.UpdatedAt = time.GetUtcNow().UtcDateTime;
            if (isNew)
            {
                db.BotPulls.Add(row);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                db.Entry(row).State = EntityState.Detached;
                return state;
            }
            catch (DbUpdateException) when (isNew && attempt < 3)
            {
                // Another delivery for the same pull request created the row first: read it and apply the change to it.
                db.Entry(row).State = EntityState.Detached;
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> FindByHeadAsync(RepoRef repo, string sha, CancellationToken cancellationToken)
    {
        var forge = ForgeName(repo.Forge);
        return await db.BotPulls.AsNoTracking()
            .Where(p => p.Forge == forge && p.Repository == repo.FullName && p.HeadSha == sha)
            .OrderBy(p => p.Number)
            .Select(p => p.Number)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The name a forge is stored under.</summary>
    public static string ForgeName(Forge forge) => forge.ToString().ToLowerInvariant();

    private static PullState StateOf(BotPullRecord row) => new(
        Split(row.Approvers), Split(row.Collaborators), row.Trusted, row.HeadSha, row.MergeStatus);

    private static HashSet<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
