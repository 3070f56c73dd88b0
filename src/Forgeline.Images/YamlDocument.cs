using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Forgeline.Images;

/// <summary>The one way the image part reads its YAML files: snake_case keys, unknown keys refused, every problem a message naming the file.</summary>
internal static class YamlDocument
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
    private static readonly ISerializer Writer = new SerializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build();

    /// <summary>Writes <paramref name="document"/> back as YAML with the same keys.</summary>
    public static string Write<T>(T document) => Writer.Serialize(document);

    /// <summary>
    /// Parses <paramref name="yaml"/> as <typeparamref name="T"/> and checks it with <paramref name="findProblem"/>;
    /// throws what <paramref name="error"/> makes of "<paramref name="source"/>: problem" (with the line for YAML errors).
    /// </summary>
    public static T Read<T>(string yaml, string source, string whenEmpty, Func<T, string?> findProblem, Func<string, Exception> error)
        where T : class
    {
        T? document;
        try
        {
            document = Yaml.Deserialize<T?>(yaml);
        }
        catch (YamlException e)
        {
            throw error($"{source}: line {e.Start.Line}: {(e.InnerException ?? e).Message}");
        }

        if (document is null)
        {
            throw error($"{source}: the file is empty; {whenEmpty}");
        }

        return findProblem(document) is { } problem ? throw error($"{source}: {problem}") : document;
    }
}
