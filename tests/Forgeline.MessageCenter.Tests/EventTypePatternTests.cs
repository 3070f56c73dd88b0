using Forgeline.Core.MessageCenter;

namespace Forgeline.MessageCenter.Tests;

public class EventTypePatternTests
{
    [Theory]
    [InlineData("org.forgeline.build.*", "org.forgeline.build.finished", true)]
    [InlineData("org.forgeline.build.*", "org.forgeline.project.created", false)]
    [InlineData("*", "org.forgeline.bot.command", true)]
    [InlineData("org.forgeline.*.created", "org.forgeline.signature.created", true)]
    [InlineData("org.forgeline.build.finished", "org.forgeline.build.finished", true)]
    [InlineData("org.forgeline.build.finished", "org.forgeline.build.finishedx", false)]
    [InlineData("org.forgeline.build", "org.forgeline.build.queued", false)]
    public void A_pattern_matches_the_types_its_stars_stand_for(string pattern, string type, bool matches) =>
        EventTypePattern.Matches(pattern, type).ShouldBe(matches);

    [Theory]
    [InlineData("")]
    [InlineData("org forgeline")]
    [InlineData("org.forgeline.build.?")]
    [InlineData("org/forgeline")]
    public void Patterns_with_other_characters_are_refused(string pattern) => EventTypePattern.IsValid(pattern).ShouldBeFalse();
}
