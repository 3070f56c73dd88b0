using Microsoft.Extensions.Options;

namespace Forgeline.Builds.Targets;

/// <summary>Checks every settings target at start-up: a bad one stops the server with a message naming its setting.</summary>
public sealed class TargetsOptionsValidator : IValidateOptions<TargetsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TargetsOptions options)
    {
        var problems = options.Targets.Select(t => TargetSettingsReader.Read(t.Key, t.Value).Problem).OfType<string>().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
