namespace Forgeline.Meetings.Videos.YouTube;

/// <summary>YouTube (Data API v3, resumable uploads, OAuth refresh token), configured in <c>Forgeline:Meetings:Videos:YouTube</c>.</summary>
public sealed class YouTubeBackend : IVideoPlatformBackend
{
    /// <inheritdoc />
    public string Name => "youtube";

    /// <inheritdoc />
    public string DisplayName => "YouTube";

    /// <summary>The options <paramref name="setting"/> gives, secrets resolved; throws naming what is missing or wrong.</summary>
    public static YouTubeOptions Options(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        const string section = YouTubeOptions.Section;
        var values = VideoPlatformBackends.Read(
            setting, section, [nameof(YouTubeOptions.ClientId)],
            [nameof(YouTubeOptions.ClientSecret), nameof(YouTubeOptions.RefreshToken)]);
        var options = new YouTubeOptions
        {
            ClientId = values[nameof(YouTubeOptions.ClientId)],
            ClientSecret = values[nameof(YouTubeOptions.ClientSecret)],
            RefreshToken = values[nameof(YouTubeOptions.RefreshToken)],
        };
        options.PrivacyStatus = setting(nameof(YouTubeOptions.PrivacyStatus)) is { Length: > 0 } privacy ? privacy : options.PrivacyStatus;
        if (options.PrivacyStatus is not ("public" or "unlisted" or "private"))
        {
            throw new VideoPlatformException($"{section}:{nameof(YouTubeOptions.PrivacyStatus)} is '{options.PrivacyStatus}': use public, unlisted or private");
        }

        options.CategoryId = setting(nameof(YouTubeOptions.CategoryId)) is { Length: > 0 } category ? category : options.CategoryId;
        var chunk = VideoPlatformBackends.Number(setting, section, nameof(YouTubeOptions.ChunkSize), options.ChunkSize);
        if (chunk <= 0 || chunk % YouTubeOptions.ChunkUnit != 0 || chunk > int.MaxValue)
        {
            throw new VideoPlatformException($"{section}:{nameof(YouTubeOptions.ChunkSize)} is {chunk}: use a multiple of 262144 (256 KiB), e.g. 8388608");
        }

        options.ChunkSize = (int)chunk;
        options.TokenUrl = setting(nameof(YouTubeOptions.TokenUrl)) is { Length: > 0 } token ? token : options.TokenUrl;
        options.UploadUrl = setting(nameof(YouTubeOptions.UploadUrl)) is { Length: > 0 } upload ? upload : options.UploadUrl;
        return options;
    }

    /// <inheritdoc />
    public IVideoPlatform Create(Func<string, string?> setting, HttpClient http, TimeProvider time) =>
        new YouTubeClient(http, Options(setting), time);
}
