using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// A fake recording download server (as Zoom's <c>download_url</c> is): <c>GET /rec/{name}</c> serves
/// <see cref="Content"/> with <c>Range: bytes=N-</c> support (206 with <c>Content-Range</c>, 416 past the end), behind
/// <c>Authorization: Bearer {token}</c> when a token is set; <c>GET /redirect</c> answers 302 to
/// <see cref="RedirectTarget"/>. It can cut the connection after some bytes, ignore Range (answer 200), and fail the
/// next requests with a status; <see cref="Content"/> can be swapped to serve wrong bytes or a wrong length.
/// </summary>
public sealed class FakeRecordingServer : IAsyncDisposable
{
    private readonly Lock faultLock = new();
    private LoopbackFake server = null!;
    private long? cutAfter;
    private int failuresLeft;
    private int failureStatus;

    private FakeRecordingServer(byte[] content, string? token)
    {
        Content = content;
        Token = token;
    }

    /// <summary>The bytes served.</summary>
    public byte[] Content { get; set; }

    /// <summary>The bearer token required, or null for none.</summary>
    public string? Token { get; }

    /// <summary>Whether Range is ignored, as by a server that always answers 200 with the whole file.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Where <c>/redirect</c> sends the client.</summary>
    public Uri? RedirectTarget { get; set; }

    /// <summary>Every call answered.</summary>
    public IReadOnlyCollection<LoopbackCall> Calls => server.Calls;

    /// <summary>Starts a server for <paramref name="content"/>, requiring <paramref name="token"/> when given.</summary>
    public static async Task<FakeRecordingServer> StartAsync(byte[] content, string? token = null)
    {
        var fake = new FakeRecordingServer(content, token);
        fake.server = await LoopbackFake.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>The URL of the recording file <paramref name="name"/>.</summary>
    public Uri FileUrl(string name = "meeting.mp4") => server.Url($"/rec/{name}");

    /// <summary>The URL that redirects to <see cref="RedirectTarget"/>.</summary>
    public Uri RedirectUrl => server.Url("/redirect");

    /// <summary>Cuts the next download's connection once <paramref name="bytes"/> of its body are sent.</summary>
    public void CutNextAfter(long bytes)
    {
        lock (faultLock)
        {
            cutAfter = bytes;
        }
    }

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="status"/>.</summary>
    public void FailNext(int count, int status)
    {
        lock (faultLock)
        {
            failuresLeft = count;
            failureStatus = status;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        long? cut;
        lock (faultLock)
        {
            if (failuresLeft > 0)
            {
                failuresLeft--;
                response.StatusCode = failureStatus;
                return;
            }

            cut = cutAfter;
        }

        if (request.Path == "/redirect" && RedirectTarget is { } target)
        {
            response.StatusCode = 302;
            response.Headers.Location = target.ToString();
            return;
        }

        if (!request.Path.StartsWithSegments("/rec", StringComparison.Ordinal) || request.Method != "GET")
        {
            response.StatusCode = 404;
            return;
        }

        if (Token is not null && request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            response.StatusCode = 401;
            await response.WriteAsync("{\"code\":124,\"message\":\"Invalid access token.\"}");
            return;
        }

        var content = Content;
        long from = 0;
        response.Headers.AcceptRanges = "bytes";
        if (!IgnoreRange && request.Headers.Range.ToString() is { Length: > 0 } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            from = long.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
            if (from >= content.Length)
            {
                response.StatusCode = 416;
                response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }

            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {from}-{content.Length - 1}/{content.Length}";
        }

        response.ContentType = "video/mp4";
        response.ContentLength = content.Length - from;
        var body = content.AsMemory((int)from);
        if (cut is { } after && after < body.Length)
        {
            lock (faultLock)
            {
                cutAfter = null;
            }

            await response.Body.WriteAsync(body[..(int)after], context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            LoopbackFake.Cut(context);
            return;
        }

        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
