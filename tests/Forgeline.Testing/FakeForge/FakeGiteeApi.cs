using Microsoft.AspNetCore.Routing;

namespace Forgeline.Testing;

/// <summary>The fake's Gitee REST v5 routes (mounted under <c>/gitee/api/v5</c>), following Gitee's documented shapes.</summary>
public static class FakeGiteeApi
{
    /// <summary>Maps Gitee's routes onto <paramref name="routes"/> (a group already at <c>/gitee/api/v5</c>); empty until the Gitee client's routes are written.</summary>
    public static IEndpointRouteBuilder MapGitee(this IEndpointRouteBuilder routes, FakeForgeState state)
    {
        _ = state;
        return routes;
    }
}
