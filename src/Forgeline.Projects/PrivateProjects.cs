using Forgeline.Core.Accounts;
using Forgeline.Core.Projects;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Projects;

/// <summary>The private projects a viewer is neither owner nor member of (in person or through a group), by <see cref="ProjectAccess"/>'s rule.</summary>
public sealed class PrivateProjects(ForgelineDbContext db) : IPrivateProjects
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> HiddenFromAsync(Viewer viewer, CancellationToken cancellationToken)
    {
        if (viewer.IsAdmin)
        {
            return [];
        }

        var names = viewer.Names.ToList();
        return await db.Projects.AsNoTracking()
            .Where(p => !p.IsPublic && !names.Contains(p.Owner) && !p.Members.Any(m => names.Contains(m.Principal)))
            .Select(p => p.Id).ToListAsync(cancellationToken);
    }
}
