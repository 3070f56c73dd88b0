using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Forgeline.Bot.Owners;

/// <summary>
/// One <c>OWNERS</c> file, Prow's format: <c>approvers</c> and <c>reviewers</c> lists of logins, and
/// <c>options: { no_parent_owners: true }</c> to stop inheriting the parent directories' owners.
/// </summary>
/// <param name="Directory">The directory it is in, relative to the repository root without slashes at either end ("" for the root).</param>
/// <param name="Approvers">Who may approve changes under it (lower case).</param>
/// <param name="Reviewers">Who may review changes under it (lower case).</param>
/// <param name="NoParentOwners">Whether the parents' owners do not apply below it.</param>
public sealed record OwnersFile(string Directory, IReadOnlyList<string> Approvers, IReadOnlyList<string> Reviewers, bool NoParentOwners)
{
    /// <summary>Reads an OWNERS file's text; throws <see cref="FormatException"/> naming the file when it is not valid YAML of that shape.</summary>
    public static OwnersFile Parse(string directory, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{PathOf(directory)} is not valid YAML: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return new OwnersFile(directory, [], [], false);
        }

        IReadOnlyList<string> Logins(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? node is YamlSequenceNode list
                ? [.. list.Children.OfType<YamlScalarNode>().Select(s => (s.Value ?? "").Trim().TrimStart('@').ToLowerInvariant()).Where(s => s.Length > 0).Distinct()]
                : throw new FormatException($"{PathOf(directory)}: '{key}' must be a list of logins")
            : [];

        var noParents = root.Children.TryGetValue(new YamlScalarNode("options"), out var options) && options is YamlMappingNode map
            && map.Children.TryGetValue(new YamlScalarNode("no_parent_owners"), out var flag) && flag is YamlScalarNode { Value: "true" or "True" or "yes" };
        return new OwnersFile(directory, Logins("approvers"), Logins("reviewers"), noParents);
    }

    /// <summary>The file's path in the repository.</summary>
    public string Path => PathOf(Directory);

    private static string PathOf(string directory) => directory.Length == 0 ? "OWNERS" : $"{directory}/OWNERS";
}
