using System.ComponentModel.DataAnnotations;

namespace Forgeline.Worker;

/// <summary>Settings of a build agent, bound from <c>Forgeline:Worker</c> and the <c>forgeline worker</c> flags.</summary>
public sealed class WorkerOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Forgeline:Worker";

    /// <summary>Server URL.</summary>
    public Uri? Server { get; set; }

    /// <summary>API token with the <c>worker</c> scope.</summary>
    public string? Token { get; set; }

    /// <summary>Unique name of this worker; the host name by default.</summary>
    [Required]
    public string Name { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>Architecture this worker builds for.</summary>
    [Required]
    public string Arch { get; set; } = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
        _ => "x86_64",
    };

    /// <summary>Builds run at once.</summary>
    [Range(1, 256)]
    public int Slots { get; set; } = 1;

    /// <summary>Where fresh work directories are made (each build gets its own, removed afterwards).</summary>
    [Required]
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "forgeline-work");

    /// <summary>The bubblewrap binary.</summary>
    [Required]
    public string Bubblewrap { get; set; } = "bwrap";
}
