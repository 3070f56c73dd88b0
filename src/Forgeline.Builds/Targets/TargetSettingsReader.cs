using Forgeline.Core.Targets;

namespace Forgeline.Builds.Targets;

/// <summary>Turns the settings targets into definitions, with problems that name the setting to fix.</summary>
public static class TargetSettingsReader
{
    /// <summary>The definition of the settings target <paramref name="name"/>, or what is wrong with its settings.</summary>
    public static (PutTargetRequest? Request, string? Problem) Read(string name, TargetSettings settings)
    {
        var prefix = $"{TargetsOptions.Section}:{name}";
        if (!TargetRules.IsValidName(name))
        {
            return (null, $"{prefix}: '{name}' is not a target name: use {TargetRules.NameRule}");
        }

        if (string.IsNullOrWhiteSpace(settings.Arch))
        {
            return (null, $"{prefix}:Arch is missing; use one of {string.Join(", ", TargetRules.Arches)}");
        }

        var repositories = new List<TargetRepository>();
        foreach (var (id, repository) in settings.Repositories.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            string? key = repository.GpgKey;
            if (repository.GpgKeyFile is { Length: > 0 } file)
            {
                try
                {
                    key = File.ReadAllText(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return (null, $"{prefix}:Repositories:{id}:GpgKeyFile: cannot read '{file}': {e.Message}");
                }
            }

            var entry = new TargetRepository(id, repository.Url ?? "", key, repository.SignedMetadata);
            if (TargetRules.RepositoryProblem(entry) is { } problem)
            {
                return (null, $"{prefix}:Repositories:{id}: {problem}");
            }

            repositories.Add(entry);
        }

        var request = new PutTargetRequest(settings.Arch.Trim(), repositories, settings.BasePackages.Count > 0 ? settings.BasePackages : null,
            settings.Macros.Count > 0 ? settings.Macros : null, settings.DistTag, settings.RpmDbPath, settings.ReleaseVersion);
        return TargetRules.FindProblem(name, request) is { } invalid ? (null, $"{prefix}: {invalid}") : (request, null);
    }
}
