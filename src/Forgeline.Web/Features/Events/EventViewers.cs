using System.Security.Claims;
using Forgeline.MessageCenter;
using Forgeline.Web.Auth;

namespace Forgeline.Web.Features.Events;

/// <summary>The message center's view of a signed-in principal.</summary>
public static class EventViewers
{
    /// <summary>The names <paramref name="user"/> acts as (its name, its queue owner and every group) and whether it is an admin.</summary>
    public static EventViewer ToEventViewer(this ClaimsPrincipal user) => new(user.TokenName(), user.NamesOf(), user.IsAdmin());
}
