using Forgeline.Bot.Forges;
using Forgeline.Bot.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Forgeline.Bot.Tests.Plugins;

/// <summary>A plugin's constructor says what it can do on a forge: narrow interfaces only, never the whole client.</summary>
public sealed class ForgeAccessTests
{
    /// <summary>What each plugin may call, as its constructor declares it.</summary>
    public static TheoryData<Type, string[]> Declared => new()
    {
        { typeof(Bot.Plugins.Help.HelpPlugin), [] },
        { typeof(Bot.Plugins.Lgtm.LgtmPlugin), [nameof(IIssueReader), nameof(IIssueLabels), nameof(IIssueComments)] },
        { typeof(Bot.Plugins.Approve.ApprovePlugin), [nameof(IIssueReader), nameof(IIssueLabels), nameof(IIssueComments)] },
        { typeof(Bot.Plugins.Assign.AssignPlugin), [nameof(IIssueAssignees), nameof(IRepoMembership)] },
        { typeof(Bot.Plugins.Collaborators.CollaboratorsPlugin), [nameof(IRepoMembership)] },
        { typeof(Bot.Plugins.Hold.HoldPlugin), [nameof(IIssueLabels)] },
        { typeof(Bot.Plugins.Label.LabelPlugin), [nameof(IIssueLabels)] },
        { typeof(Bot.Plugins.Lifecycle.LifecyclePlugin), [nameof(IIssueReader), nameof(IIssueState)] },
        { typeof(Bot.Plugins.Cc.CcPlugin), [nameof(IIssueAssignees)] },
        { typeof(Bot.Plugins.Milestone.MilestonePlugin), [nameof(IIssueReader), nameof(IIssueLabels)] },
        { typeof(Bot.Plugins.IssueCheck.IssueCheckPlugin), [nameof(IIssueReader), nameof(IIssueLabels)] },
        { typeof(Bot.Plugins.Cla.ClaPlugin), [nameof(IIssueReader), nameof(IIssueLabels), nameof(IIssueComments), nameof(IRepoContent)] },
        { typeof(Bot.Plugins.Ci.CiPlugin), [nameof(IIssueReader), nameof(IIssueLabels), nameof(IIssueComments), nameof(ICommitStatuses)] },
        { typeof(Bot.Plugins.Merge.MergePlugin), [nameof(IIssueReader), nameof(IIssueLabels), nameof(ICommitStatuses), nameof(IPullMerger)] },
    };

    [Theory]
    [MemberData(nameof(Declared))]
    public void A_plugin_takes_only_the_narrow_forge_interfaces_it_uses(Type plugin, string[] parts)
    {
        var parameters = plugin.GetConstructors().ShouldHaveSingleItem().GetParameters().Select(p => p.ParameterType).ToList();

        parameters.ShouldAllBe(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ForgeAccess<>));
        parameters.Select(t => t.GetGenericArguments()[0].Name).ShouldBe(parts, ignoreOrder: true);
    }

    [Fact]
    public void Every_plugin_is_in_the_table()
    {
        BotPlugins.All.ShouldBe(Declared.Select(row => (Type)row[0]), ignoreOrder: true);
    }

    [Fact]
    public void Asking_for_the_whole_client_or_anything_else_fails_with_the_parts_named()
    {
        Should.Throw<InvalidOperationException>(() => new ForgeAccess<IForgeClient>()).Message.ShouldContain(nameof(IIssueLabels));
        Should.Throw<InvalidOperationException>(() => new ForgeAccess<IDisposable>()).Message.ShouldContain("not a narrow forge interface");
    }

    [Fact]
    public void The_bot_container_makes_every_plugin()
    {
        var services = new ServiceCollection().AddSingleton(typeof(ForgeAccess<>));
        using var container = services.BuildServiceProvider();

        foreach (var plugin in BotPlugins.All)
        {
            ActivatorUtilities.CreateInstance(container, plugin).ShouldBeAssignableTo<IBotPlugin>();
        }
    }
}
