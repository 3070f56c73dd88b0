using Forgeline.Bot;
using Forgeline.Bot.Config;
using Forgeline.Bot.Forges;
using Forgeline.Testing;

namespace Forgeline.Bot.Tests.Config;

/// <summary>bot.yaml: every bad setting is refused with the file and the setting named; repositories find their settings in order.</summary>
public sealed class BotConfigTests
{
    private static readonly string[] Known = ["lgtm", "approve", "hold", "cla", "merge"];

    public static TheoryData<string, string> BadFiles => new()
    {
        { "repos: [unclosed", "bot.yaml: line " },
        { "repos:\n  openeuler:\n    plugins: [lgtm, lgmt]\n", "bot.yaml: repos.openeuler.plugins: unknown plugin 'lgmt'; known plugins: approve, cla, hold, lgtm, merge" },
        { "forges:\n  bitbucket: { api_url: https://api.example }\n", "bot.yaml: forges.bitbucket: unknown forge; use github, gitee or gitlab" },
        { "forges:\n  GitHub: { api_url: https://api.github.com }\n", "bot.yaml: forges.GitHub: unknown forge; use github, gitee or gitlab" },
        { "forges:\n  github: { token: x }\n", "bot.yaml: forges.github.api_url must be an http(s) URL" },
        { "forges:\n  gitlab: { api_url: ftp://gitlab.example/api/v4 }\n", "bot.yaml: forges.gitlab.api_url must be an http(s) URL" },
        { "repos:\n  o:\n    merge: { method: fast-forward }\n", "bot.yaml: repos.o.merge.method: 'fast-forward' is not merge, squash or rebase" },
        { "repos:\n  o:\n    jobs: [ { name: 'two words', farm: true } ]\n", "bot.yaml: repos.o.jobs: every job needs a name without spaces" },
        { "repos:\n  o:\n    jobs: [ { name: build } ]\n", "bot.yaml: repos.o.jobs.build: set either 'farm: true' or 'url'" },
        { "repos:\n  o:\n    jobs: [ { name: build, farm: true, url: 'https://ci.example/job' } ]\n", "bot.yaml: repos.o.jobs.build: set either 'farm: true' or 'url'" },
        { "repos:\n  o:\n    jobs: [ { name: smoke, url: 'file:///etc/passwd' } ]\n", "bot.yaml: repos.o.jobs.smoke.url must be an http(s) URL" },
        { "cla: { check_url: 'https://cla.example/check' }\n", "bot.yaml: cla.check_url must contain {email}" },
        { "no_such_setting: 1\n", "bot.yaml: line " },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_setting_is_refused_naming_the_file_and_the_setting(string yaml, string message)
    {
        var error = Should.Throw<BotConfigException>(() => BotConfig.Parse("bot.yaml", yaml, Known));
        error.Message.ShouldStartWith(message);
    }

    [Fact]
    public void An_empty_file_is_a_configuration_with_nothing_enabled()
    {
        var config = BotConfig.Parse("bot.yaml", "", Known);
        config.For(new RepoRef(Forge.GitHub, "openeuler", "hello")).Plugins.ShouldBeEmpty();
    }

    [Fact]
    public void A_repository_takes_the_first_of_forge_repo_repo_forge_org_org_and_default()
    {
        const string Yaml = """
            repos:
              gitee:openeuler/kernel: { plugins: [merge] }
              openeuler/kernel: { plugins: [approve] }
              gitee:openeuler: { plugins: [cla] }
              openeuler: { plugins: [hold] }
              default: { plugins: [lgtm] }
            """;
        var config = BotConfig.Parse("bot.yaml", Yaml, Known);
        string Plugin(Forge forge, string owner, string name) => config.For(new RepoRef(forge, owner, name)).Plugins.Single();

        Plugin(Forge.Gitee, "openeuler", "kernel").ShouldBe("merge");
        Plugin(Forge.GitHub, "openeuler", "kernel").ShouldBe("approve");
        Plugin(Forge.Gitee, "openeuler", "other").ShouldBe("cla");
        Plugin(Forge.GitHub, "openeuler", "other").ShouldBe("hold");
        Plugin(Forge.GitHub, "src-openeuler", "other").ShouldBe("lgtm");
    }

    [Fact]
    public void Merge_defaults_follow_the_community_and_the_cla_plugin()
    {
        var config = BotConfig.Parse("bot.yaml", "community: openeuler\nrepos:\n  o: { plugins: [cla], jobs: [ { name: build, farm: true }, { name: docs, farm: true, required: false } ] }\n", Known);
        var settings = config.For(new RepoRef(Forge.GitHub, "o", "r"));

        settings.RequiredLabels.ShouldBe(["lgtm", "approved", "openeuler-cla/yes"]);
        settings.BlockingLabels.ShouldContain("openeuler-cla/no");
        settings.RequiredContexts.ShouldBe(["forgeline/build"]);
        settings.MergeMethod.ShouldBe(MergeMethod.Merge);
    }

    [Fact]
    public void Secrets_come_from_the_environment_a_file_or_the_value_and_a_missing_one_names_the_setting()
    {
        using var directory = new TempDirectory("forgeline-bot-secret");
        File.WriteAllText(directory["secret"], "from-a-file\n");
        var variable = $"FORGELINE_TEST_SECRET_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "from-the-environment");
        try
        {
            BotRuntime.Secret($"env:{variable}", "forges.github.token").ShouldBe("from-the-environment");
            BotRuntime.Secret($"file:{directory["secret"]}", "forges.github.token").ShouldBe("from-a-file");
            BotRuntime.Secret("plain", "forges.github.token").ShouldBe("plain");
            Should.Throw<BotConfigException>(() => BotRuntime.Secret($"env:{variable}_MISSING", "bot.yaml: forges.github.token"))
                .Message.ShouldBe($"bot.yaml: forges.github.token names the environment variable {variable}_MISSING, which is not set");
            Should.Throw<BotConfigException>(() => BotRuntime.Secret($"file:{directory["nope"]}", "bot.yaml: forges.gitee.webhook_secret"))
                .Message.ShouldStartWith("bot.yaml: forges.gitee.webhook_secret names the file ");
            Should.Throw<BotConfigException>(() => BotRuntime.Secret(null, "bot.yaml: forges.gitlab.token"))
                .Message.ShouldBe("bot.yaml: forges.gitlab.token is empty; set the secret, env:VARIABLE or file:PATH");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
