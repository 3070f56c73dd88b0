using System.Globalization;
using System.Text.RegularExpressions;

namespace Forgeline.Testing;

/// <summary>One scrape of a Prometheus text endpoint, parsed: the declared type of each metric and its samples with their labels.</summary>
public sealed partial class PrometheusScrape
{
    private readonly Dictionary<string, string> types = new(StringComparer.Ordinal);
    private readonly List<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> samples = [];

    private PrometheusScrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"not a Prometheus sample line: {line}");
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>The text as served.</summary>
    public string Text { get; }

    /// <summary>Fetches <c>/metrics</c> from <paramref name="server"/> without a token.</summary>
    public static async Task<PrometheusScrape> FetchAsync(Uri server)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(server, "metrics"));
        response.EnsureSuccessStatusCode();
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The <c># TYPE</c> of <paramref name="metric"/>, or null when it is not declared.</summary>
    public string? TypeOf(string metric) => types.GetValueOrDefault(metric);

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include <paramref name="labels"/> (0 when there is none).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        Samples(name, labels).Sum(s => s.Value);

    /// <summary>Whether any sample is named <paramref name="name"/> with <paramref name="labels"/>.</summary>
    public bool Has(string name, params (string Label, string Value)[] labels) => Samples(name, labels).Any();

    private IEnumerable<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> Samples(string name, (string Label, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)( [0-9]+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
