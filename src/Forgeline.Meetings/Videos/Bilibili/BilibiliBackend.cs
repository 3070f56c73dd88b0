namespace Forgeline.Meetings.Videos.Bilibili;

/// <summary>Bilibili (open platform video submission), configured in <c>Forgeline:Meetings:Videos:Bilibili</c>.</summary>
public sealed class BilibiliBackend : IVideoPlatformBackend
{
    /// <inheritdoc />
    public string Name => "bilibili";

    /// <inheritdoc />
    public string DisplayName => "Bilibili";

    /// <summary>The options <paramref name="setting"/> gives, secrets resolved; throws naming what is missing or wrong.</summary>
    public static BilibiliOptions Options(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        const string section = BilibiliOptions.Section;
        var values = VideoPlatformBackends.Read(
            setting, section, [nameof(BilibiliOptions.ClientId), nameof(BilibiliOptions.Tid)], [nameof(BilibiliOptions.AccessToken)]);
        var options = new BilibiliOptions { ClientId = values[nameof(BilibiliOptions.ClientId)], AccessToken = values[nameof(BilibiliOptions.AccessToken)] };
        var tid = VideoPlatformBackends.Number(setting, section, nameof(BilibiliOptions.Tid), 0);
        if (tid is <= 0 or > int.MaxValue)
        {
            throw new VideoPlatformException($"{section}:{nameof(BilibiliOptions.Tid)} is {tid}: use the number of a partition (分区) the account may post in");
        }

        options.Tid = (int)tid;
        var copyright = VideoPlatformBackends.Number(setting, section, nameof(BilibiliOptions.Copyright), options.Copyright);
        options.Copyright = copyright is 1 or 2
            ? (int)copyright
            : throw new VideoPlatformException($"{section}:{nameof(BilibiliOptions.Copyright)} is {copyright}: use 1 (own video) or 2 (repost)");
        var chunk = VideoPlatformBackends.Number(setting, section, nameof(BilibiliOptions.ChunkSize), options.ChunkSize);
        options.ChunkSize = chunk is > 0 and <= 64 * 1024 * 1024
            ? (int)chunk
            : throw new VideoPlatformException($"{section}:{nameof(BilibiliOptions.ChunkSize)} is {chunk}: use 1 to 67108864 bytes, e.g. 8388608");
        options.ApiBaseUrl = setting(nameof(BilibiliOptions.ApiBaseUrl)) is { Length: > 0 } api ? api : options.ApiBaseUrl;
        options.UploadBaseUrl = setting(nameof(BilibiliOptions.UploadBaseUrl)) is { Length: > 0 } upload ? upload : options.UploadBaseUrl;
        return options;
    }

    /// <inheritdoc />
    public IVideoPlatform Create(Func<string, string?> setting, HttpClient http, TimeProvider time) =>
        new BilibiliClient(http, Options(setting), time);
}
