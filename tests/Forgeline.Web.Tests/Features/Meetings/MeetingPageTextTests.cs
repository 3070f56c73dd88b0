using Forgeline.Core.Meetings;
using Forgeline.Web.Pages;

namespace Forgeline.Web.Tests.Features.Meetings;

public sealed class MeetingPageTextTests
{
    [Theory]
    [InlineData(0, 5, 0)]
    [InlineData(1, 8, 1)]
    [InlineData(2, 8, 1)]
    [InlineData(3, 8, 2)]
    [InlineData(6, 8, 3)]
    [InlineData(8, 8, 4)]
    [InlineData(1, 1, 4)]
    [InlineData(3, 0, 0)]
    public void Heat_levels_scale_with_the_busiest_cell(int count, int max, int level) => MeetingPageText.Level(count, max).ShouldBe(level);

    [Theory]
    [InlineData("https://zoom.us/j/1?pwd=2", true)]
    [InlineData("http://wiki.example.org/agenda", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("data:text/html,<script>", false)]
    [InlineData("/relative", false)]
    [InlineData(null, false)]
    public void Only_http_links_become_links(string? url, bool linked) => (MeetingPageText.SafeUrl(url) is not null).ShouldBe(linked);

    [Fact]
    public void A_tooltip_gives_meetings_hours_and_participants_or_says_there_were_none()
    {
        MeetingPageText.Tooltip("sig-a", "2027-01", new MeetingMonthStat("sig-a", "2027-01", 2, 1.5, 7)).ShouldBe("sig-a · 2027-01: 2 meetings, 1.5 hours, 7 participants");
        MeetingPageText.Tooltip("sig-a", "2027-02", null).ShouldBe("sig-a · 2027-02: no meetings");
    }
}
