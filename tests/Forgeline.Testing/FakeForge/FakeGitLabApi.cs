using Microsoft.AspNetCore.Routing;

namespace Forgeline.Testing;

/// <summary>The fake's GitLab REST v4 routes (mounted under <c>/gitlab/api/v4</c>), following GitLab's documented shapes.</summary>
public static class FakeGitLabApi
{
    /// <summary>Maps GitLab's routes onto <paramref name="routes"/> (a group already at <c>/gitlab/api/v4</c>); empty until the GitLab client's routes are written.</summary>
    public static IEndpointRouteBuilder MapGitLab(this IEndpointRouteBuilder routes, FakeForgeState state)
    {
        _ = state;
        return routes;
    }
}
