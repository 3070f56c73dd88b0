using Forgeline.Bot.Commands;
using Forgeline.Bot.Owners;

namespace Forgeline.Bot.Plugins;

/// <summary>The bot's shared services a plugin may use, beyond the forge and the pull request store.</summary>
/// <param name="Permissions">Decides who may do what.</param>
/// <param name="Owners">Reads OWNERS files.</param>
/// <param name="Catalog">Every plugin's commands (for <c>/help</c>).</param>
/// <param name="Time">The clock.</param>
/// <param name="Http">For calls to services other than the forge (the CLA service, URL-triggered jobs).</param>
/// <param name="Provider">The host's services, for plugins that need a part of Forgeline (the build farm).</param>
public sealed record BotServices(CommandPermissions Permissions, OwnersReader Owners, CommandCatalog Catalog, TimeProvider Time, IHttpClientFactory Http, IServiceProvider Provider);
