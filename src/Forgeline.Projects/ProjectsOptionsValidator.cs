using Microsoft.Extensions.Options;

namespace Forgeline.Projects;

/// <summary>Checks the <see cref="ProjectsOptions"/> that attributes cannot, at start-up; each problem names its setting.</summary>
public sealed class ProjectsOptionsValidator : IValidateOptions<ProjectsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProjectsOptions options)
    {
        const string prefix = ProjectsOptions.Section;
        var problems = new List<string>();
        if (options.PublicUrl is { } publicUrl
            && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.Query)))
        {
            problems.Add($"{prefix}:PublicUrl must be an http(s) URL such as https://build.example.org (got '{publicUrl}')");
        }

        for (var i = 0; i < options.BuildrootProvides.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.BuildrootProvides[i]) || options.BuildrootProvides[i].Any(char.IsWhiteSpace))
            {
                problems.Add($"{prefix}:BuildrootProvides:{i} ('{options.BuildrootProvides[i]}') must be one capability name without spaces");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
