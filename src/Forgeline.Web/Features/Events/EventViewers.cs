using System.Security.Claims;
using Forgeline.MessageCenter;
using Forgeline.Web.Auth;

namespace Forgeline.Web.Features.Events;

/// <summary>The message center's view of a signed-in principal.</summary>
public static class EventViewers
{
    /// <summary>The claim type of a group the principal belongs to (set by the accounts sign-in).</summary>
    public const string GroupClaim = "forgeline:group";

    /// <summary>
    /// The names <paramref name="user"/> acts as — its name, its queue owner and every group — and whether it is an
    /// admin (scope <c>admin</c>).
    /// </summary>
    public static EventViewer ToEventViewer(this ClaimsPrincipal user)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { user.TokenName(), user.QueueOwner() };
        names.UnionWith(user.FindAll(GroupClaim).Select(c => c.Value).Where(v => v.Length > 0));
        return new EventViewer(user.TokenName(), names, user.HasClaim(Scopes.ClaimType, Scopes.Admin));
    }
}
