using Forgeline.Builds.Logs;
using Forgeline.Core.Builds;
using Forgeline.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Web.Features.Builds;

/// <summary>
/// Serves a build log as chunked <c>text/plain</c>. With <c>follow=true</c> the answer stays open and each new line
/// is sent as it arrives, until the build ends; the CLI and the web page read the same stream.
/// </summary>
public static class BuildLogStreamer
{
    /// <summary>Writes the log of build <paramref name="id"/> to the response.</summary>
    public static async Task StreamAsync(long id, bool? follow, HttpContext context, BuildLogStore logs, ForgelineDbContext db)
    {
        var cancellationToken = context.RequestAborted;
        if (!await db.Builds.AnyAsync(b => b.Id == id, cancellationToken))
        {
            await Results.Problem(title: "Not found", detail: $"there is no build {id}", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        // Tell proxies (nginx) not to buffer, or live lines would arrive in lumps.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var buffer = new byte[64 * 1024];
        long offset = 0;
        try
        {
            while (true)
            {
                var changed = logs.WaitForChangeAsync(id);
                if (logs.LengthOf(id) < offset)
                {
                    // A new attempt started on another worker and its log begins afresh.
                    await context.Response.WriteAsync("\n--- forgeline: the build restarted; its log begins again ---\n", cancellationToken);
                    offset = 0;
                }

                int read;
                while ((read = logs.Read(id, offset, buffer)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    offset += read;
                }

                await context.Response.Body.FlushAsync(cancellationToken);
                if (follow != true)
                {
                    return;
                }

                var state = await db.Builds.AsNoTracking().Where(b => b.Id == id).Select(b => b.State).FirstAsync(cancellationToken);
                if (state.IsFinal())
                {
                    // Lines appended between the last read and the state change are still sent.
                    while ((read = logs.Read(id, offset, buffer)) > 0)
                    {
                        await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                        offset += read;
                    }

                    return;
                }

                await Task.WhenAny(changed, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The reader went away.
        }
    }
}
