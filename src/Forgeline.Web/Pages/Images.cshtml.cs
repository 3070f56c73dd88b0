using Forgeline.Core.Images;
using Forgeline.Images.Server;
using Forgeline.Web.Features.Projects;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>The image CI matrix: test plans × days, each cell the day's latest run, as EOLE's Jenkins view.</summary>
public sealed class ImagesModel(ImageQueries queries, TimeProvider time) : PageModel
{
    /// <summary>The days shown when the address does not say.</summary>
    public const int DefaultDays = 14;

    /// <summary>The matrix of the plans the visitor may see.</summary>
    public ImageMatrixDto Matrix { get; private set; } = new([], []);

    /// <summary>The project filter, when set.</summary>
    public string? Project { get; private set; }

    /// <summary>The days asked for, clamped as the query clamps them.</summary>
    public int Days { get; private set; }

    /// <summary>Now, for the duration of running cells.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Whether any cell may still change, so the page polls.</summary>
    public bool AnyLive => Matrix.Plans.Any(p => p.Cells.Any(c => c is not null && ImagePageText.IsLive(c.State)));

    /// <summary>Loads the matrix.</summary>
    public async Task OnGetAsync(string? project, int? days, CancellationToken cancellationToken)
    {
        Project = string.IsNullOrWhiteSpace(project) ? null : project.Trim();
        Days = Math.Clamp(days ?? DefaultDays, 1, ImageQueries.MaxDays);
        Now = time.GetUtcNow();
        Matrix = await queries.MatrixAsync(ProjectEndpoints.Caller(User), Project, Days, cancellationToken);
    }
}
