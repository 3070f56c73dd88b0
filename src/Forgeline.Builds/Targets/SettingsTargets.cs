using Microsoft.Extensions.Options;

namespace Forgeline.Builds.Targets;

/// <summary>The targets of <c>Forgeline:Targets</c>, read once (their key files too); the validator has refused bad ones at start-up.</summary>
public sealed class SettingsTargets(IOptions<TargetsOptions> options)
{
    private readonly Lazy<IReadOnlyDictionary<string, BuildTarget>> all = new(() => options.Value.Targets
        .Select(t => (t.Key, TargetSettingsReader.Read(t.Key, t.Value).Request))
        .Where(t => t.Request is not null)
        .ToDictionary(t => t.Key, t => BuildTarget.Of(t.Key, t.Request!, BuildTarget.FromSettings), StringComparer.Ordinal));

    /// <summary>The settings targets by name.</summary>
    public IReadOnlyDictionary<string, BuildTarget> All => all.Value;
}
