using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Projects;

/// <summary>What belongs in a project's repository: the signed RPMs of each package's latest builds, within the project's retention.</summary>
public static class RepositoryContent
{
    /// <summary>Marks the repositories of <paramref name="chroots"/> as changed, so the coordinator publishes them (in the caller's transaction).</summary>
    public static async Task ChangedAsync(ForgelineDbContext db, long projectId, IEnumerable<string> chroots, CancellationToken cancellationToken)
    {
        foreach (var chroot in chroots.Distinct())
        {
            var row = await db.Repositories.FirstOrDefaultAsync(r => r.ProjectId == projectId && r.Chroot == chroot, cancellationToken);
            if (row is null)
            {
                db.Repositories.Add(new RepositoryRecord { ProjectId = projectId, Chroot = chroot, ContentVersion = 1 });
            }
            else
            {
                row.ContentVersion++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The RPMs of a repository after pruning: for each package the <paramref name="keepBuilds"/> newest builds stay, older
    /// ones are deleted from the table here (their files leave the repository when it is published).
    /// </summary>
    public static async Task<List<RepositoryPackageRecord>> PruneAsync(ForgelineDbContext db, long projectId, string chroot, int keepBuilds, CancellationToken cancellationToken)
    {
        var rows = await db.RepositoryPackages.Where(r => r.ProjectId == projectId && r.Chroot == chroot).ToListAsync(cancellationToken);
        var kept = new List<RepositoryPackageRecord>();
        foreach (var package in rows.GroupBy(r => r.PackageId))
        {
            var builds = package.Select(r => r.BuildId).Distinct().OrderDescending().Take(keepBuilds).ToHashSet();
            foreach (var row in package)
            {
                if (builds.Contains(row.BuildId))
                {
                    kept.Add(row);
                }
                else
                {
                    db.RepositoryPackages.Remove(row);
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return kept;
    }
}
