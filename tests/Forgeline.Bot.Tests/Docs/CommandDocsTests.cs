using Forgeline.Bot.Commands;
using Forgeline.Bot.Plugins;
using Forgeline.Bot.Tests.Plugins;

namespace Forgeline.Bot.Tests.Docs;

/// <summary>The command table in docs/bot.md is generated from the commands' data; this fails when they drift (FORGELINE_UPDATE_DOCS=1 rewrites it).</summary>
public sealed class CommandDocsTests
{
    private const string Start = "<!-- commands: generated from the plugins' CommandSpec data; FORGELINE_UPDATE_DOCS=1 dotnet test tests/Forgeline.Bot.Tests --filter CommandDocs -->";
    private const string End = "<!-- end of commands -->";

    [Fact]
    public void The_command_table_in_the_docs_is_generated_from_the_command_data()
    {
        var catalog = new CommandCatalog(TestPlugins.All());
        var table = string.Join("\n", catalog.All.GroupBy(c => c.Plugin).Select(g => $"**{g.Key}**\n\n{CommandTable.Markdown(g)}"));
        var path = Path.Combine(RepositoryRoot(), "docs", "bot.md");
        var text = File.ReadAllText(path);
        var start = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        start.ShouldBeGreaterThan(-1, $"docs/bot.md has no '{Start}' line");
        end.ShouldBeGreaterThan(start);
        var generated = $"{Start}\n{table}{End}";
        if (Environment.GetEnvironmentVariable("FORGELINE_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, text[..start] + generated + text[(end + End.Length)..]);
            return;
        }

        text[start..(end + End.Length)].ShouldBe(generated, "run FORGELINE_UPDATE_DOCS=1 dotnet test tests/Forgeline.Bot.Tests --filter CommandDocs");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Forgeline.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no Forgeline.slnx above the test binaries");
    }
}
