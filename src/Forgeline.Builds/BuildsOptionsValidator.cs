using Microsoft.Extensions.Options;

namespace Forgeline.Builds;

/// <summary>Checks the <see cref="BuildsOptions"/> that depend on each other, at start-up; each problem names its setting.</summary>
public sealed class BuildsOptionsValidator : IValidateOptions<BuildsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BuildsOptions options)
    {
        const string prefix = BuildsOptions.Section;
        var problems = new List<string>();
        if (options.RetryBackoffSeconds > options.MaxRetryBackoffSeconds)
        {
            problems.Add($"{prefix}:RetryBackoffSeconds ({options.RetryBackoffSeconds}) is larger than {prefix}:MaxRetryBackoffSeconds ({options.MaxRetryBackoffSeconds}); the first wait cannot exceed the longest");
        }

        if (options.ReapIntervalSeconds >= options.LeaseSeconds)
        {
            problems.Add($"{prefix}:ReapIntervalSeconds ({options.ReapIntervalSeconds}) must be shorter than {prefix}:LeaseSeconds ({options.LeaseSeconds}), or lapsed leases are found late");
        }

        if (!string.IsNullOrEmpty(options.DefaultArch) && !options.DefaultArch.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            problems.Add($"{prefix}:DefaultArch must be an rpm architecture such as x86_64 or aarch64 (got '{options.DefaultArch}')");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
