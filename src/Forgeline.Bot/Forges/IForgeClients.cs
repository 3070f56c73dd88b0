namespace Forgeline.Bot.Forges;

/// <summary>The configured forge clients, for work that happens outside a delivery (reporting a finished build).</summary>
public interface IForgeClients
{
    /// <summary>The client of <paramref name="forge"/>; null when the configuration has no such forge.</summary>
    IForgeClient? For(Forge forge);
}
