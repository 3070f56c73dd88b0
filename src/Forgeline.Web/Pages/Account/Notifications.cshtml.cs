using System.Text.Json;
using Forgeline.MessageCenter;
using Forgeline.Web.Auth;
using Forgeline.Web.Features.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages.Account;

/// <summary>The signed-in user's notifications: the newest events about what they or their groups own.</summary>
[Authorize(AuthenticationSchemes = AuthServiceCollectionExtensions.SessionScheme)]
public sealed class NotificationsModel(Notifications notifications) : PageModel
{
    /// <summary>One line of the page.</summary>
    /// <param name="Time">When it happened.</param>
    /// <param name="What">The event type without its prefix, e.g. "build finished".</param>
    /// <param name="Subject">What it is about, e.g. <c>builds/42</c>.</param>
    /// <param name="Link">The page of the subject, if it has one.</param>
    /// <param name="State">A build's state after the step.</param>
    /// <param name="Detail">A package, a reason or a key.</param>
    public sealed record Item(DateTimeOffset Time, string What, string Subject, string? Link, string? State, string? Detail);

    /// <summary>The newest 100 events.</summary>
    public IReadOnlyList<Item> Items { get; private set; } = [];

    /// <summary>Loads them.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Items = (await notifications.ForAsync(User.ToEventViewer(), 100, cancellationToken)).Select(e =>
        {
            using var data = JsonDocument.Parse(e.Data);
            var root = data.RootElement;
            return new Item(new DateTimeOffset(e.Time), e.Type.Replace("org.forgeline.", "", StringComparison.Ordinal).Replace('.', ' '), e.Subject, LinkOf(e.Subject),
                Text(root, "state"), Text(root, "package") ?? Text(root, "detail") ?? Text(root, "key") ?? Text(root, "description"));
        }).ToList();

    private static string? LinkOf(string subject) => subject.Split('/') switch
    {
        ["builds", var id] => $"/builds/{id}",
        ["projects", var name] => $"/projects/{name}",
        ["repositories", var project, _] => $"/projects/{project}",
        _ => null,
    };

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
