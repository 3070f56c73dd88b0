using System.Net;
using Microsoft.Extensions.Options;

namespace Forgeline.MessageCenter;

/// <summary>Checks the <see cref="MessageCenterOptions"/> that depend on each other or need parsing, at start-up; each problem names its setting.</summary>
public sealed class MessageCenterOptionsValidator : IValidateOptions<MessageCenterOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MessageCenterOptions options)
    {
        const string prefix = MessageCenterOptions.Section;
        var problems = new List<string>();
        for (var i = 0; i < options.AllowedTargets.Count; i++)
        {
            if (!IPNetwork.TryParse(options.AllowedTargets[i], out _))
            {
                problems.Add($"{prefix}:AllowedTargets:{i} ('{options.AllowedTargets[i]}') must be a network in CIDR form, e.g. 10.20.0.0/16 or fd00::/8");
            }
        }

        if (options.FirstRetrySeconds > options.MaxRetrySeconds)
        {
            problems.Add($"{prefix}:FirstRetrySeconds ({options.FirstRetrySeconds}) is larger than {prefix}:MaxRetrySeconds ({options.MaxRetrySeconds})");
        }

        if (options.ClaimSeconds <= options.TimeoutSeconds)
        {
            problems.Add($"{prefix}:ClaimSeconds ({options.ClaimSeconds}) must be longer than {prefix}:TimeoutSeconds ({options.TimeoutSeconds}), or another replica takes over deliveries still being sent");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
