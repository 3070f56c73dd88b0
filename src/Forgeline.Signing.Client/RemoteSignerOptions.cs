namespace Forgeline.Signing.Client;

/// <summary>
/// A server node that signs through a separate signer node, bound from <c>Forgeline:Signing:Remote</c>
/// (env <c>Forgeline__Signing__Remote__*</c>). With <see cref="Url"/> set, the node has no master key and never opens one.
/// </summary>
public sealed class RemoteSignerOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Forgeline:Signing:Remote";

    /// <summary>The signer node's base URL (<c>forgeline server --targets signer</c>), e.g. <c>https://signer.example.org/</c>.</summary>
    public string? Url { get; set; }

    /// <summary>A token of the signer node with the <c>sign</c> scope (and <c>admin</c>, so projects can get keys of their own).</summary>
    public string? Token { get; set; }

    /// <summary>A file holding <see cref="Token"/> instead (a mounted secret); read at start-up.</summary>
    public string? TokenFile { get; set; }

    /// <summary>How long one call to the signer may take before it counts as unavailable.</summary>
    public int TimeoutSeconds { get; set; } = 120;
}
