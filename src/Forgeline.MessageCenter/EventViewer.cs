using Forgeline.Data.Entities;

namespace Forgeline.MessageCenter;

/// <summary>
/// Who receives which events: an admin every event; anyone else public events and the events whose owner is one of the
/// names they act as (their name, their queue owner, their groups).
/// </summary>
/// <param name="Name">The principal's name.</param>
/// <param name="Names">Every name the principal acts as, <paramref name="Name"/> included.</param>
/// <param name="SeesAll">Whether the principal is an admin.</param>
public sealed record EventViewer(string Name, IReadOnlySet<string> Names, bool SeesAll)
{
    /// <summary>Whether this viewer may see <paramref name="e"/>.</summary>
    public bool CanSee(OutboxEventRecord e) => SeesAll || e.IsPublic || (e.Owner is { } owner && Names.Contains(owner));

    /// <summary>The viewer a subscription stands for.</summary>
    public static EventViewer Of(EventSubscriptionRecord subscription) =>
        new(subscription.Owner, new HashSet<string>(subscription.AudienceList, StringComparer.Ordinal), subscription.SeesAll);
}
