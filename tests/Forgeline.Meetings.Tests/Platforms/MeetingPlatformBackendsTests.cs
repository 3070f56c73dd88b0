using Forgeline.Meetings.Platforms;

namespace Forgeline.Meetings.Tests.Platforms;

/// <summary>The list of backends: every platform is in it, and each names every setting it lacks.</summary>
public sealed class MeetingPlatformBackendsTests
{
    [Fact]
    public void Zoom_tencent_and_welink_are_the_backends()
    {
        MeetingPlatformBackends.All.Select(b => b.Name).ShouldBe(["zoom", "tencent", "welink"]);
        MeetingPlatformBackends.Find("WeLink")!.DisplayName.ShouldBe("WeLink");
        MeetingPlatformBackends.Find("tencent")!.DisplayName.ShouldBe("Tencent Meeting");
    }

    [Theory]
    [InlineData("zoom", "Forgeline:Meetings:Zoom", "AccountId,ClientId,ClientSecret,WebhookSecretToken")]
    [InlineData("tencent", "Forgeline:Meetings:Tencent", "AppId,SecretId,UserId,SecretKey")]
    [InlineData("welink", "Forgeline:Meetings:WeLink", "AppId,AppKey")]
    public void Empty_settings_name_every_missing_setting(string name, string section, string settings)
    {
        using var http = new HttpClient();

        var error = Should.Throw<MeetingPlatformException>(() => MeetingPlatformBackends.Find(name)!.Create(_ => null, http, TimeProvider.System));

        foreach (var setting in settings.Split(','))
        {
            error.Message.ShouldContain($"{section}:{setting} ");
        }

        (error.Message.Split(section + ":").Length - 1).ShouldBe(settings.Split(',').Length);
    }
}
